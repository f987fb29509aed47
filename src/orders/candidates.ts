import { boundingBox } from '../kernel/geo.js';
import type { Candidate } from './domain/types.js';
import { isSkill, type AvailabilityWindow } from '../directory/index.js';
import type { Db, Queryable } from '../platform/db.js';
import { MIN_WINDOW_HOURS } from '../kernel/time-window.js';
import type { HeldOrder } from './domain/order-machine.js';

interface CandidateRow {
  id: string;
  name: string;
  team_id: string | null;
  skills: string[];
  lat: number;
  lng: number;
  station_lat: number | null;
  station_lng: number | null;
  availability: AvailabilityWindow[];
  completed: number;
  no_shows: number;
  avg_rating: number | null;
  hours_month: string;
  party_member: boolean;
  open_orders: { start: string; end: string }[];
}

/**
 * Most candidates ranked for one order; the nearest are kept when more match. An offer goes to the top
 * five (thirty in an emergency), and availability, load and fairness reorder within a neighbourhood:
 * 150 of the nearest qualified volunteers leave ample choice, and each one more costs ~20 µs of history.
 */
const MAX_CANDIDATES = 150;
/** A volunteer's position as migration 003 indexes it; must stay the indexed expression, or the index goes unused. */
const NEAR_POINT = 'point(v.lng, v.lat)';
/**
 * The planner prices `point <@ box` at a fixed 0.1 % of rows (contsel), so it would rather bitmap-scan the whole
 * box and sort it (thousands of rows in a dense district) than walk the index nearest first. Inside the query's
 * own transaction only, it may not; the rows are the same, only the order of work changes.
 */
const BEGIN_NEAREST_FIRST = 'BEGIN; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off';

/**
 * The candidate query, with the first required skill written into the text: a partial index (migration 003) is
 * only chosen when its skill is a literal the planner can see, and a named statement keeps each variant planned
 * once per connection.
 */
function candidateQuery(leadSkill: string | undefined): { name: string; text: string } {
  const lead = leadSkill !== undefined && isSkill(leadSkill) ? leadSkill : null;
  return {
    name: `find-candidates-${lead ?? 'any'}`,
    text: `SELECT p.id, p.name, v.team_id, v.skills, v.lat, v.lng, s.lat AS station_lat, s.lng AS station_lng, v.availability,
         v.completed, v.no_shows, p.party_member,
         CASE WHEN v.rating_count > 0 THEN v.rating_sum::float8 / v.rating_count END AS avg_rating,
         COALESCE((SELECT sum(l.hours) FROM ledger_entries l
                   WHERE l.account = 'volunteer:' || p.id AND l.hours > 0 AND l.created_at >= $6), 0) AS hours_month,
         COALESCE((SELECT json_agg(json_build_object(
                     'start', COALESCE(o.wanted_at, o.updated_at),
                     'end', COALESCE(o.wanted_at, o.updated_at) + o.planned_hours * interval '1 hour'))
                   FROM orders o WHERE o.volunteer_id = p.id AND o.status IN ('claimed', 'in_service')), '[]') AS open_orders
       FROM (SELECT v.*, ${NEAR_POINT} <-> point($7, $8) AS d FROM volunteers v
             WHERE v.active AND ${NEAR_POINT} <@ box(point($3, $1), point($4, $2)) AND v.skills @> $5::text[]
               ${lead ? `AND v.skills @> '{${lead}}'` : ''}
             ORDER BY d LIMIT ${MAX_CANDIDATES}) v
       JOIN people p ON p.id = v.person_id LEFT JOIN stations s ON s.id = v.station_id
       ORDER BY v.d`,
  };
}

/**
 * Volunteers around a point who hold every required skill, nearest first: a KNN walk of the GiST index of
 * migration 003 (the one for a required skill when there is one), bounded by the bounding box of the radius, so
 * an order reads about MAX_CANDIDATES volunteers however many live in the city.
 */
export async function findCandidates(
  db: Db,
  q: { lat: number; lng: number; radiusM: number; requiredSkills: string[]; monthStart: Date },
): Promise<Candidate[]> {
  const box = boundingBox({ lat: q.lat, lng: q.lng }, q.radiusM);
  const client = await db.connect();
  // pg-pool drops its error listener while a client is checked out; a connection lost mid-query would then crash
  // the process instead of just failing this query (which rejects with the same error). A lost client is
  // handed back with its error, so the pool discards it.
  let lost: Error | undefined;
  const onLost = (err: Error) => void (lost = err);
  client.on('error', onLost);
  try {
    await client.query(BEGIN_NEAREST_FIRST);
    const { rows } = await client.query<CandidateRow>({
      ...candidateQuery(q.requiredSkills[0]),
      values: [box.minLat, box.maxLat, box.minLng, box.maxLng, q.requiredSkills, q.monthStart, q.lng, q.lat],
    });
    await client.query('COMMIT');
    return rows.map(toCandidate);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', onLost);
    client.release(lost);
  }
}

function toCandidate(r: CandidateRow): Candidate {
  return {
    id: r.id,
    name: r.name,
    teamId: r.team_id,
    skills: r.skills,
    lat: r.lat,
    lng: r.lng,
    stationLat: r.station_lat,
    stationLng: r.station_lng,
    availability: r.availability,
    openOrders: r.open_orders.map((o) => ({ start: new Date(o.start).toISOString(), end: new Date(o.end).toISOString() })),
    completed: r.completed,
    noShows: r.no_shows,
    avgRating: r.avg_rating,
    hoursThisMonth: Number(r.hours_month),
    partyMember: r.party_member,
  };
}

/**
 * A volunteer as the claim rules see them: skills (null when not a registered volunteer) and the orders they
 * hold, with the volunteer row locked until the transaction ends, so two racing claims by one volunteer are
 * judged one after the other and cannot both take overlapping orders.
 */
export async function lockVolunteer(tx: Queryable, personId: string): Promise<{ skills: string[] | null; held: HeldOrder[] }> {
  const { rows } = await tx.query<{ skills: string[] }>('SELECT skills FROM volunteers WHERE person_id = $1 FOR UPDATE', [personId]);
  if (!rows[0]) return { skills: null, held: [] };
  const held = await tx.query<{ no: string; start: Date; end: Date }>(
    `SELECT no, COALESCE(wanted_at, updated_at) AS start,
            COALESCE(wanted_at, updated_at) + GREATEST(planned_hours, $2) * interval '1 hour' AS "end"
     FROM orders WHERE volunteer_id = $1 AND status IN ('claimed', 'in_service')`,
    [personId, MIN_WINDOW_HOURS],
  );
  return { skills: rows[0].skills, held: held.rows.map((r) => ({ no: r.no, start: r.start.toISOString(), end: r.end.toISOString() })) };
}

/** Reliability history after a completed service, a rating or a late release. */
export async function recordReliability(db: Queryable, personId: string, change: { completed?: number; noShows?: number; rating?: number }): Promise<void> {
  await db.query(
    `UPDATE volunteers SET completed = completed + $2, no_shows = no_shows + $3,
       rating_sum = rating_sum + $4, rating_count = rating_count + $5 WHERE person_id = $1`,
    [personId, change.completed ?? 0, change.noShows ?? 0, change.rating ?? 0, change.rating ? 1 : 0],
  );
}
