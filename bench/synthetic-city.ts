/**
 * A synthetic city around Weihai, generated inside PostgreSQL so a million volunteers take seconds, not a million
 * round trips. Every attribute of volunteer i is a pure function of i (hashed with a fixed seed), so the 100k city
 * is the first 100k of the 1M city and every run builds the same rows.
 */
import type { Db } from '../src/platform/db.js';

/** The city's extent: 环翠区 and its neighbours, ~15 km × 26 km. */
export const CITY = { minLat: 37.42, maxLat: 37.56, minLng: 121.95, maxLng: 122.25 } as const;
/** Where people live densely; the rest are spread over the whole city. */
export const CENTRES = [
  { lat: 37.505, lng: 122.12 }, // 环翠 old town
  { lat: 37.53, lng: 122.06 }, // 高区
  { lat: 37.47, lng: 122.17 }, // 经区
  { lat: 37.445, lng: 122.02 }, // 羊亭
] as const;
export const CLUSTERED_SHARE = 0.7;
/** Spread of a centre, in degrees of latitude (~2.2 km). */
export const CLUSTER_SIGMA_DEG = 0.02;
/** Teams and stations are one per neighbourhood cell of this size (~1.1 km square). */
const CELL_LAT_DEG = 0.01;
const CELL_LNG_DEG = 0.0125;
const CELL_ROWS = Math.round((CITY.maxLat - CITY.minLat) / CELL_LAT_DEG);
const CELL_COLS = Math.round((CITY.maxLng - CITY.minLng) / CELL_LNG_DEG);
export const BENCH_COMMUNITY = 'bench-weihai';
export const RESIDENTS = 1000;
/** Share of volunteers with a home station (for the service circle), party members, paused. */
const STATION_SHARE = 0.3;
const PARTY_SHARE = 0.3;
const INACTIVE_SHARE = 0.03;
/** Share of volunteers credited hours recently (some this month, some last). */
const EARNED_SHARE = 0.15;
/** Every HELD_EVERY-th volunteer holds a claimed order, so load and availability checks see some. */
const HELD_EVERY = 100;
const HELD_OFFSET = 7;
/** Order numbers of the held orders start here (6 digits, unique among open orders). */
const HELD_ORDER_NO_BASE = 100_000;

/**
 * How often each skill of the catalogue vocabulary is held: everyday help is common, certified help is rare.
 * A volunteer holds each independently; one with none gets 'errand'.
 */
const SKILL_SHARES: Readonly<Record<string, number>> = {
  companion: 0.35,
  escort: 0.25,
  errand: 0.4,
  medical: 0.06,
  repair: 0.1,
  electrical: 0.05,
  plumbing: 0.05,
  digital: 0.2,
  counseling: 0.03,
  legal: 0.02,
  childcare: 0.1,
  tutoring: 0.12,
  cleaning: 0.15,
  disability: 0.03,
  sign_language: 0.01,
  first_aid: 0.08,
  driving: 0.12,
};

/** Weekly availability templates (day 0 = Sunday, minutes since midnight) and how often each is declared. */
const AVAILABILITY_TEMPLATES: readonly { share: number; windows: { day: number; from: number; to: number }[] }[] = [
  { share: 0.35, windows: [] },
  { share: 0.2, windows: [1, 2, 3, 4, 5].map((day) => ({ day, from: 540, to: 1020 })) },
  { share: 0.15, windows: [0, 6].map((day) => ({ day, from: 480, to: 1200 })) },
  { share: 0.15, windows: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: 1080, to: 1260 })) },
  { share: 0.15, windows: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: 0, to: 1440 })) },
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN = '秀英桂英建军国强志明丽华玉兰海燕淑珍文博晓东春梅红霞德胜子涵雨萱浩然思远';

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Pseudo-random numbers in [0, 1) from (row, salt): a hash, so parallel plans and reruns give the same values. */
const FUNCTIONS = `
CREATE FUNCTION bench_rand(i bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ((hashint8extended(i, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992 $$;
CREATE FUNCTION bench_normal(i bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT sqrt(-2 * ln(1 - bench_rand(i, salt))) * cos(2 * pi() * bench_rand(i, salt + 1)) $$;
CREATE FUNCTION bench_centre(i bigint) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN bench_rand(i, 1) < ${CLUSTERED_SHARE} THEN floor(bench_rand(i, 2) * ${CENTRES.length})::int ELSE -1 END $$;
CREATE FUNCTION bench_lat(i bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(${CITY.maxLat}, greatest(${CITY.minLat}, CASE bench_centre(i)
    ${CENTRES.map((c, k) => `WHEN ${k} THEN ${c.lat} + ${CLUSTER_SIGMA_DEG} * bench_normal(i, 3)`).join(' ')}
    ELSE ${CITY.minLat} + bench_rand(i, 5) * ${CITY.maxLat - CITY.minLat} END)) $$;
CREATE FUNCTION bench_lng(i bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(${CITY.maxLng}, greatest(${CITY.minLng}, CASE bench_centre(i)
    ${CENTRES.map((c, k) => `WHEN ${k} THEN ${c.lng} + ${CLUSTER_SIGMA_DEG} / cosd(${c.lat}) * bench_normal(i, 7)`).join(' ')}
    ELSE ${CITY.minLng} + bench_rand(i, 9) * ${CITY.maxLng - CITY.minLng} END)) $$;
CREATE FUNCTION bench_cell(lat float8, lng float8) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(${CELL_ROWS - 1}, floor((lat - ${CITY.minLat}) / ${CELL_LAT_DEG}))::int || '-' ||
         least(${CELL_COLS - 1}, floor((lng - ${CITY.minLng}) / ${CELL_LNG_DEG}))::int $$;
`;

/** One CASE arm per template, picked by cumulative share. */
function availabilitySql(u: string): string {
  let acc = 0;
  const arms = AVAILABILITY_TEMPLATES.map((t) => {
    acc += t.share;
    return `WHEN ${u} < ${acc.toFixed(4)} THEN ${sqlText(JSON.stringify(t.windows))}::jsonb`;
  });
  return `CASE ${arms.join(' ')} ELSE '[]'::jsonb END`;
}

function skillsSql(i: string): string {
  const picks = Object.entries(SKILL_SHARES).map(([skill, share], k) => `CASE WHEN bench_rand(${i}, ${100 + k}) < ${share} THEN ${sqlText(skill)} END`);
  return `coalesce(nullif(array_remove(ARRAY[${picks.join(', ')}]::text[], NULL), '{}'), '{errand}')`;
}

/**
 * The fixed part of the city: helper functions, one community, a team with its chat room and a station per
 * neighbourhood cell, and residents who place orders. Run once, after the migrations.
 */
export async function createCityBase(db: Db): Promise<void> {
  await db.query(FUNCTIONS);
  await db.query(
    `INSERT INTO communities (id, name, street_id, street_name, district, lat, lng)
     VALUES ($1, '威海示范社区', 'bench-street', '示范街道', '环翠区', 37.505, 122.12)`,
    [BENCH_COMMUNITY],
  );
  const cells = `SELECT r, c, r || '-' || c AS cell, ${CITY.minLat} + (r + 0.5) * ${CELL_LAT_DEG} AS lat, ${CITY.minLng} + (c + 0.5) * ${CELL_LNG_DEG} AS lng
    FROM generate_series(0, ${CELL_ROWS - 1}) r, generate_series(0, ${CELL_COLS - 1}) c`;
  await db.query(`INSERT INTO rooms (id, name, kind, community_id) SELECT 'bench-room-' || cell, '志愿服务队' || cell, 'team', $1 FROM (${cells}) x`, [BENCH_COMMUNITY]);
  await db.query(`INSERT INTO teams (id, community_id, name, room_id) SELECT 'bench-team-' || cell, $1, '志愿服务队' || cell, 'bench-room-' || cell FROM (${cells}) x`, [BENCH_COMMUNITY]);
  await db.query(`INSERT INTO stations (id, community_id, name, lat, lng, radius_m) SELECT 'bench-st-' || cell, $1, '服务站' || cell, lat, lng, 1200 FROM (${cells}) x`, [BENCH_COMMUNITY]);
  await db.query(
    `INSERT INTO people (id, name, role, community_id, lat, lng, address, phone)
     SELECT 'br-' || i, substr(${sqlText(SURNAMES)}, 1 + i % ${SURNAMES.length}, 1) || '阿姨', 'resident', $1,
            bench_lat(-i), bench_lng(-i), '示范小区' || (i % 50 + 1) || '号楼', '139' || lpad(i::text, 8, '0')
     FROM generate_series(1, ${RESIDENTS}) i`,
    [BENCH_COMMUNITY],
  );
  await db.query(`INSERT INTO identities (channel, external_id, kind, ref_id) SELECT 'sim', 'br-' || i, 'person', 'br-' || i FROM generate_series(1, ${RESIDENTS}) i`);
}

/**
 * The INSERT … SELECT generate_series statements that add volunteers [from, to): person rows, volunteer rows,
 * sim identities (so they can write to the simulator), credited hours and held orders. The statements are
 * independent of each other, so a bulk loader may run them side by side with foreign-key checks suspended.
 */
export function volunteerStatements(from: number, to: number, opts: { identities: boolean }): { label: string; sql: string; params: unknown[] }[] {
  const range = `generate_series(${from}::bigint, ${to - 1}::bigint) AS i`;
  const statements = [
    {
      label: 'people',
      sql: `INSERT INTO people (id, name, role, community_id, lat, lng, phone, party_member)
        SELECT 'bv-' || i,
               substr(${sqlText(SURNAMES)}, 1 + (i % ${SURNAMES.length})::int, 1) || substr(${sqlText(GIVEN)}, 1 + 2 * (i / ${SURNAMES.length} % ${GIVEN.length / 2})::int, 2),
               'volunteer', $1, bench_lat(i), bench_lng(i), '138' || lpad(i::text, 8, '0'), bench_rand(i, 11) < ${PARTY_SHARE}
        FROM ${range}`,
      params: [BENCH_COMMUNITY],
    },
    {
      label: 'volunteers',
      sql: `INSERT INTO volunteers (person_id, team_id, station_id, skills, availability, lat, lng, completed, no_shows, rating_sum, rating_count, active)
        SELECT 'bv-' || i, 'bench-team-' || cell, CASE WHEN bench_rand(i, 12) < ${STATION_SHARE} THEN 'bench-st-' || cell END,
               ${skillsSql('i')}, ${availabilitySql('bench_rand(i, 13)')}, lat, lng,
               completed, no_shows, rated * (3 + floor(bench_rand(i, 16) * 3)::int), rated, bench_rand(i, 17) >= ${INACTIVE_SHARE}
        FROM (SELECT i, lat, lng, bench_cell(lat, lng) AS cell, completed,
                     CASE WHEN bench_rand(i, 15) < 0.1 THEN 1 + floor(bench_rand(i, 18) * 3)::int ELSE 0 END AS no_shows,
                     floor(completed * 0.6)::int AS rated
              FROM (SELECT i, bench_lat(i) AS lat, bench_lng(i) AS lng, floor(power(bench_rand(i, 14), 2) * 40)::int AS completed FROM ${range}) a) b`,
      params: [],
    },
    {
      label: 'ledger',
      sql: `INSERT INTO ledger_entries (txn_id, account, hours, reason, created_at)
        SELECT 'bench-' || i, acct, sign * h, 'service', now() - bench_rand(i, 21) * interval '40 days'
        FROM (SELECT i, 0.5 + floor(bench_rand(i, 20) * 6) / 2 AS h FROM ${range} WHERE bench_rand(i, 19) < ${EARNED_SHARE}) e,
             LATERAL (VALUES ('volunteer:bv-' || i, 1), ('pool:service', -1)) AS x(acct, sign)`,
      params: [],
    },
    {
      label: 'held orders',
      sql: `INSERT INTO orders (no, resident_id, created_by, community_id, category, description, wanted_at, planned_hours, lat, lng, area, address, status, volunteer_id, version)
        SELECT (${HELD_ORDER_NO_BASE} + i / ${HELD_EVERY})::text, r, r, $1, 'errand', '代买菜', now() + bench_rand(i, 22) * interval '3 days',
               1 + floor(bench_rand(i, 23) * 3), bench_lat(i), bench_lng(i), '示范小区', '示范小区1号楼', 'claimed', 'bv-' || i, 2
        FROM (SELECT i, 'br-' || (1 + i % ${RESIDENTS}) AS r FROM ${range} WHERE i % ${HELD_EVERY} = ${HELD_OFFSET}) h`,
      params: [BENCH_COMMUNITY],
    },
  ];
  if (opts.identities) {
    statements.push({
      label: 'identities',
      sql: `INSERT INTO identities (channel, external_id, kind, ref_id) SELECT 'sim', 'bv-' || i, 'person', 'bv-' || i FROM ${range}`,
      params: [],
    });
  }
  return statements;
}
