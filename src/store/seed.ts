import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AvailabilityWindow } from '../domain/types.js';
import { skillSchema } from './catalogue.js';
import { withTransaction, type Db } from './db.js';

/** The demo directory shipped with the code: 竹岛街道, 环翠区, Weihai. */
export const DEFAULT_DIRECTORY_FILE = path.join(__dirname, '..', 'seed', 'demo.yaml');

/** Channel whose external ids are the directory ids themselves. */
const SIM_CHANNEL = 'sim';
/** Serialises concurrent seeding by several replicas; any constant distinct from the migration lock. */
const SEED_LOCK_KEY = 7_310_515;

export const ROLES = ['resident', 'volunteer', 'team_lead', 'worker', 'secretary', 'building_lead'] as const;
export type DirectoryRole = (typeof ROLES)[number];

// ── Schema of the YAML file ────────────────────────────────────────────────────────────────────────────────────

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a short id: lowercase letters, digits, "-" or "_"');
const text = z.string().trim().min(1);
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);
const phone = z.string().regex(/^1[3-9]\d{9}$/, 'expected an 11-digit mobile number starting with 13–19');
const buildingNo = z.union([text, z.number().int().nonnegative()]).transform(String);
const skill = skillSchema;

const roomRef = z.strictObject({ id, name: text, extra_members: z.array(id).default([]) });

const windowObject = z
  .strictObject({ day: z.number().int().min(0).max(6), from: z.number().int().min(0).max(1440), to: z.number().int().min(0).max(1440) })
  .refine((w) => w.from < w.to, { message: 'availability window must end after it starts (from < to)' });

const availability = z.array(z.union([z.string(), windowObject])).transform((items, ctx) => {
  const out: AvailabilityWindow[] = [];
  for (const item of items) {
    if (typeof item !== 'string') {
      out.push(item);
      continue;
    }
    const parsed = parseAvailability(item);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed, input: item });
    else out.push(...parsed);
  }
  return out;
});

const history = z
  .strictObject({
    completed: z.number().int().nonnegative().default(0),
    no_shows: z.number().int().nonnegative().default(0),
    rating_sum: z.number().int().nonnegative().default(0),
    rating_count: z.number().int().nonnegative().default(0),
  })
  .refine((h) => h.rating_sum >= h.rating_count && h.rating_sum <= 5 * h.rating_count, {
    message: 'rating_sum must lie between rating_count and 5 × rating_count (ratings are 1–5 stars)',
  })
  .refine((h) => h.rating_count <= h.completed, { message: 'rating_count cannot exceed completed' });

const gridSchema = z.strictObject({
  id,
  name: text,
  worker: id.optional(),
  room: roomRef.optional(),
  buildings: z.array(z.strictObject({ no: buildingNo, lat, lng })).default([]),
});

const communitySchema = z.strictObject({
  id,
  name: text,
  street_id: id,
  street_name: text,
  district: text,
  lat,
  lng,
  secretary: id.optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
  workers_room: roomRef.optional(),
  grids: z.array(gridSchema).default([]),
  stations: z.array(z.strictObject({ id, name: text, lat, lng, radius_m: z.number().positive().optional() })).default([]),
  teams: z.array(z.strictObject({ id, name: text, lead: id.optional(), room: roomRef.optional() })).default([]),
});

const personSchema = z.strictObject({
  id,
  name: text,
  role: z.enum(ROLES),
  community: id,
  phone: phone.optional(),
  address: text.optional(),
  building: buildingNo.optional(),
  lat: lat.optional(),
  lng: lng.optional(),
  party_member: z.boolean().default(false),
  in_service_party: z.boolean().default(false),
  employer: text.optional(),
  // Volunteers and team leads only:
  team: id.optional(),
  skills: z.array(skill).optional(),
  availability: availability.optional(),
  history: history.optional(),
  active: z.boolean().optional(),
});

const directoryShape = z.strictObject({ communities: z.array(communitySchema).min(1), people: z.array(personSchema) });
const directorySchema = directoryShape.superRefine(checkReferences);

export type DirectoryFile = z.output<typeof directoryShape>;
export type DirectoryCommunity = DirectoryFile['communities'][number];
export type DirectoryPerson = DirectoryFile['people'][number];

// ── Loading ────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Read and validate a directory file (YAML). Throws an Error naming the file and each offending entry.
 * @example loadDirectory().communities[0]?.id // 'dongbeicun'
 */
export function loadDirectory(file: string = DEFAULT_DIRECTORY_FILE): DirectoryFile {
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read the directory: ${(err as Error).message}`);
  }
  const parsed = directorySchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${describePath(raw, i.path)}: ${describeIssue(i, raw)}`);
    throw new Error(`${file}: invalid directory:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * Insert the directory file into an empty database in one transaction: communities, grids, buildings, stations,
 * rooms and their members, teams, people, volunteers, and a `sim` identity (external id = directory id) for every
 * person and room. Idempotent: when any community of the file already exists nothing is written.
 * @example await seedDirectory(db) // { seeded: true } the first time, { seeded: false } after
 */
export async function seedDirectory(db: Db, file: string = DEFAULT_DIRECTORY_FILE): Promise<{ seeded: boolean }> {
  const dir = loadDirectory(file);
  const rows = toRows(dir);
  return withTransaction(db, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    const existing = await client.query('SELECT 1 FROM communities WHERE id = ANY($1) LIMIT 1', [dir.communities.map((c) => c.id)]);
    if (existing.rows.length > 0) return { seeded: false };
    await insertRows(client, rows);
    return { seeded: true };
  });
}

// ── Rows ───────────────────────────────────────────────────────────────────────────────────────────────────────

interface RoomRow {
  id: string;
  name: string;
  kind: 'team' | 'workers' | 'grid';
  communityId: string;
  gridId: string | null;
  members: string[];
}

interface PersonRow {
  id: string;
  name: string;
  role: DirectoryRole;
  communityId: string;
  gridId: string | null;
  phone: string | null;
  address: string | null;
  building: string | null;
  lat: number | null;
  lng: number | null;
  partyMember: boolean;
  inServiceParty: boolean;
  employer: string | null;
}

interface VolunteerRow {
  personId: string;
  teamId: string;
  stationId: string | null;
  skills: string[];
  availability: AvailabilityWindow[];
  lat: number;
  lng: number;
  completed: number;
  noShows: number;
  ratingSum: number;
  ratingCount: number;
  active: boolean;
}

interface Rows {
  communities: DirectoryCommunity[];
  rooms: RoomRow[];
  people: PersonRow[];
  volunteers: VolunteerRow[];
}

const isVolunteerRole = (role: DirectoryRole) => role === 'volunteer' || role === 'team_lead';

/** Everything derived: coordinates and grid from the building, home station, room members. */
function toRows(dir: DirectoryFile): Rows {
  const buildings = buildingIndex(dir);
  const place = (p: DirectoryPerson) => (p.building === undefined ? undefined : buildings.get(p.community)?.get(p.building));

  const people: PersonRow[] = dir.people.map((p) => {
    const b = place(p);
    const workerGrid = p.role === 'worker' ? dir.communities.find((c) => c.id === p.community)?.grids.find((g) => g.worker === p.id) : undefined;
    return {
      id: p.id,
      name: p.name,
      role: p.role,
      communityId: p.community,
      gridId: workerGrid?.id ?? b?.gridId ?? null,
      phone: p.phone ?? null,
      address: p.address ?? null,
      building: p.building ?? null,
      lat: p.lat ?? b?.lat ?? null,
      lng: p.lng ?? b?.lng ?? null,
      partyMember: p.party_member,
      inServiceParty: p.in_service_party,
      employer: p.employer ?? null,
    };
  });

  const volunteers: VolunteerRow[] = [];
  for (const [i, p] of dir.people.entries()) {
    const row = people[i];
    if (!isVolunteerRole(p.role) || !row || p.team === undefined || row.lat === null || row.lng === null) continue;
    const team = dir.communities.flatMap((c) => c.teams.map((t) => ({ ...t, communityId: c.id }))).find((t) => t.id === p.team);
    const homeStations = dir.communities.find((c) => c.id === (team?.communityId ?? p.community))?.stations ?? [];
    const stations = homeStations.length > 0 ? homeStations : dir.communities.flatMap((c) => c.stations);
    volunteers.push({
      personId: p.id,
      teamId: p.team,
      stationId: nearest(stations, row.lat, row.lng)?.id ?? null,
      skills: p.skills ?? [],
      availability: p.availability ?? [],
      lat: row.lat,
      lng: row.lng,
      completed: p.history?.completed ?? 0,
      noShows: p.history?.no_shows ?? 0,
      ratingSum: p.history?.rating_sum ?? 0,
      ratingCount: p.history?.rating_count ?? 0,
      active: p.active ?? true,
    });
  }

  const rooms: RoomRow[] = [];
  for (const c of dir.communities) {
    const inCommunity = dir.people.filter((p) => p.community === c.id);
    if (c.workers_room) {
      const members = [c.secretary, ...inCommunity.filter((p) => p.role === 'worker').map((p) => p.id), ...c.workers_room.extra_members];
      rooms.push({ id: c.workers_room.id, name: c.workers_room.name, kind: 'workers', communityId: c.id, gridId: null, members: unique(members) });
    }
    for (const g of c.grids) {
      if (!g.room) continue;
      const leads = inCommunity.filter((p) => p.role === 'building_lead' && place(p)?.gridId === g.id).map((p) => p.id);
      rooms.push({ id: g.room.id, name: g.room.name, kind: 'grid', communityId: c.id, gridId: g.id, members: unique([g.worker, ...leads, ...g.room.extra_members]) });
    }
    for (const t of c.teams) {
      if (!t.room) continue;
      const members = dir.people.filter((p) => isVolunteerRole(p.role) && p.team === t.id).map((p) => p.id);
      rooms.push({ id: t.room.id, name: t.room.name, kind: 'team', communityId: c.id, gridId: null, members: unique([t.lead, ...members, ...t.room.extra_members]) });
    }
  }
  return { communities: dir.communities, rooms, people, volunteers };
}

async function insertRows(client: pg.PoolClient, rows: Rows): Promise<void> {
  for (const c of rows.communities) {
    await client.query(
      `INSERT INTO communities (id, name, street_id, street_name, district, lat, lng, secretary_id, settings)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [c.id, c.name, c.street_id, c.street_name, c.district, c.lat, c.lng, c.secretary ?? null, JSON.stringify(c.settings)],
    );
    for (const g of c.grids) {
      await client.query('INSERT INTO grids (id, community_id, name, buildings, worker_id) VALUES ($1, $2, $3, $4, $5)', [
        g.id,
        c.id,
        g.name,
        g.buildings.map((b) => b.no),
        g.worker ?? null,
      ]);
      for (const b of g.buildings) {
        await client.query('INSERT INTO buildings (community_id, building, lat, lng) VALUES ($1, $2, $3, $4)', [c.id, b.no, b.lat, b.lng]);
      }
    }
    for (const s of c.stations) {
      await client.query('INSERT INTO stations (id, community_id, name, lat, lng, radius_m) VALUES ($1, $2, $3, $4, $5, $6)', [
        s.id,
        c.id,
        s.name,
        s.lat,
        s.lng,
        s.radius_m ?? null,
      ]);
    }
  }
  for (const r of rows.rooms) {
    await client.query('INSERT INTO rooms (id, name, kind, community_id, grid_id) VALUES ($1, $2, $3, $4, $5)', [r.id, r.name, r.kind, r.communityId, r.gridId]);
  }
  for (const c of rows.communities) {
    for (const t of c.teams) {
      await client.query('INSERT INTO teams (id, community_id, name, lead_id, room_id) VALUES ($1, $2, $3, $4, $5)', [
        t.id,
        c.id,
        t.name,
        t.lead ?? null,
        t.room?.id ?? null,
      ]);
    }
  }
  for (const p of rows.people) {
    await client.query(
      `INSERT INTO people (id, name, role, community_id, grid_id, phone, address, building, lat, lng, party_member, in_service_party, employer)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [p.id, p.name, p.role, p.communityId, p.gridId, p.phone, p.address, p.building, p.lat, p.lng, p.partyMember, p.inServiceParty, p.employer],
    );
  }
  for (const v of rows.volunteers) {
    await client.query(
      `INSERT INTO volunteers (person_id, team_id, station_id, skills, availability, lat, lng, completed, no_shows, rating_sum, rating_count, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [v.personId, v.teamId, v.stationId, v.skills, JSON.stringify(v.availability), v.lat, v.lng, v.completed, v.noShows, v.ratingSum, v.ratingCount, v.active],
    );
  }
  for (const r of rows.rooms) {
    for (const m of r.members) await client.query('INSERT INTO room_members (room_id, person_id) VALUES ($1, $2)', [r.id, m]);
  }
  const identities: [string, 'person' | 'room'][] = [...rows.people.map((p) => [p.id, 'person'] as [string, 'person']), ...rows.rooms.map((r) => [r.id, 'room'] as [string, 'room'])];
  for (const [refId, kind] of identities) {
    await client.query(
      'INSERT INTO identities (channel, external_id, kind, ref_id) VALUES ($1, $2, $3, $4) ON CONFLICT (channel, external_id) DO NOTHING',
      [SIM_CHANNEL, refId, kind, refId],
    );
  }
}

// ── Validation across entries ──────────────────────────────────────────────────────────────────────────────────

interface BuildingPlace {
  gridId: string;
  lat: number;
  lng: number;
}

/** community id → building number → its grid and coordinates. */
function buildingIndex(dir: Pick<DirectoryFile, 'communities'>): Map<string, Map<string, BuildingPlace>> {
  const index = new Map<string, Map<string, BuildingPlace>>();
  for (const c of dir.communities) {
    const m = new Map<string, BuildingPlace>();
    for (const g of c.grids) for (const b of g.buildings) if (!m.has(b.no)) m.set(b.no, { gridId: g.id, lat: b.lat, lng: b.lng });
    index.set(c.id, m);
  }
  return index;
}

function checkReferences(dir: DirectoryFile, ctx: z.core.$RefinementCtx<DirectoryFile>): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const people = new Map(dir.people.map((p) => [p.id, p]));
  const communities = new Map(dir.communities.map((c) => [c.id, c]));
  const teams = new Map(dir.communities.flatMap((c) => c.teams.map((t) => [t.id, { team: t, community: c.id }] as const)));
  const buildings = buildingIndex(dir);

  // Ids are unique per kind; people and rooms share the simulator's identity namespace.
  const seen = new Map<string, string>();
  const claimId = (kind: string, value: string, path: PropertyKey[]) => {
    const key = kind === 'person' || kind === 'room' ? `identity:${value}` : `${kind}:${value}`;
    const before = seen.get(key);
    if (before) issue(path, `duplicate id "${value}" (already used by ${before})`);
    else seen.set(key, `${kind} ${value}`);
  };
  const checkRoom = (room: { id: string; extra_members: string[] } | undefined, path: PropertyKey[]) => {
    if (!room) return;
    claimId('room', room.id, [...path, 'id']);
    room.extra_members.forEach((m, k) => {
      if (!people.has(m)) issue([...path, 'extra_members', k], `no person "${m}"`);
    });
  };

  dir.communities.forEach((c, ci) => {
    const at = (...rest: PropertyKey[]) => ['communities', ci, ...rest];
    claimId('community', c.id, at('id'));
    if (c.secretary !== undefined) {
      const s = people.get(c.secretary);
      if (!s || s.role !== 'secretary' || s.community !== c.id) issue(at('secretary'), `"${c.secretary}" is not a secretary of ${c.id}`);
    }
    checkRoom(c.workers_room, at('workers_room'));
    const numbers = new Set<string>();
    c.grids.forEach((g, gi) => {
      claimId('grid', g.id, at('grids', gi, 'id'));
      if (g.worker !== undefined) {
        const w = people.get(g.worker);
        if (!w || w.role !== 'worker' || w.community !== c.id) issue(at('grids', gi, 'worker'), `"${g.worker}" is not a worker of ${c.id}`);
      }
      checkRoom(g.room, at('grids', gi, 'room'));
      g.buildings.forEach((b, bi) => {
        if (numbers.has(b.no)) issue(at('grids', gi, 'buildings', bi, 'no'), `building ${b.no} is listed twice in ${c.id}`);
        numbers.add(b.no);
      });
    });
    c.stations.forEach((s, si) => claimId('station', s.id, at('stations', si, 'id')));
    c.teams.forEach((t, ti) => {
      claimId('team', t.id, at('teams', ti, 'id'));
      checkRoom(t.room, at('teams', ti, 'room'));
      if (t.lead !== undefined) {
        const lead = people.get(t.lead);
        if (!lead || lead.role !== 'team_lead' || lead.team !== t.id) issue(at('teams', ti, 'lead'), `"${t.lead}" must be a team_lead whose team is ${t.id}`);
      }
    });
  });

  dir.people.forEach((p, pi) => {
    const at = (...rest: PropertyKey[]) => ['people', pi, ...rest];
    claimId('person', p.id, at('id'));
    if (!communities.has(p.community)) issue(at('community'), `no community "${p.community}"`);
    if ((p.lat === undefined) !== (p.lng === undefined)) issue(at('lat'), 'give both lat and lng, or neither');
    if (p.in_service_party && !p.party_member) issue(at('in_service_party'), 'an in-service party member must also be a party member');
    if (p.in_service_party && p.employer === undefined) issue(at('employer'), 'an in-service party member needs an employer');
    const place = p.building === undefined ? undefined : buildings.get(p.community)?.get(p.building);
    if (p.building !== undefined && !place) issue(at('building'), `building ${p.building} is not in any grid of ${p.community}`);
    if (p.role === 'building_lead' && p.building === undefined) issue(at('building'), 'a building lead needs the building they look after');
    if (isVolunteerRole(p.role)) {
      if (p.team === undefined) issue(at('team'), 'volunteers and team leads need a team');
      else if (!teams.has(p.team)) issue(at('team'), `no team "${p.team}"`);
      if (!p.skills || p.skills.length === 0) issue(at('skills'), 'volunteers need at least one skill');
      if (p.lat === undefined && !place) issue(at('lat'), 'volunteers need coordinates: lat/lng or a building with coordinates');
      if (p.role === 'team_lead' && p.team !== undefined && teams.get(p.team)?.team.lead !== p.id) issue(at('role'), `team_lead "${p.id}" is not the lead of ${p.team}`);
    } else {
      for (const key of ['team', 'skills', 'availability', 'history', 'active'] as const) {
        if (p[key] !== undefined) issue(at(key), `only volunteers and team leads have ${key}`);
      }
    }
  });
}

// ── Helpers ────────────────────────────────────────────────────────────────────────────────────────────────────

/** "always", or "<days> HH:MM-HH:MM" with days like 1-5, 0,6, 1,3,5 (0 = Sunday); an error message otherwise. */
export function parseAvailability(spec: string): AvailabilityWindow[] | string {
  const s = spec.trim();
  if (s === 'always') return [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: 0, to: 1440 }));
  const m = /^([0-6](?:\s*[-,]\s*[0-6])*)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) return `availability "${spec}": expected "always" or "<days> HH:MM-HH:MM", e.g. "1-5 18:00-21:00" (0 = Sunday)`;
  const [, daysPart = '', h1 = '', m1 = '', h2 = '', m2 = ''] = m;
  const from = Number(h1) * 60 + Number(m1);
  const to = Number(h2) * 60 + Number(m2);
  if (Number(m1) > 59 || Number(m2) > 59 || to > 1440 || from >= to) return `availability "${spec}": the time range must run forward within one day (00:00–24:00)`;
  const days = new Set<number>();
  for (const part of daysPart.split(',')) {
    const [a, b = a] = part.split('-').map((x) => Number(x.trim()));
    if (a === undefined || b === undefined || a > b) return `availability "${spec}": bad day range "${part.trim()}"`;
    for (let d = a; d <= b; d++) days.add(d);
  }
  return [...days].sort((x, y) => x - y).map((day) => ({ day, from, to }));
}

function nearest<S extends { lat: number; lng: number }>(stations: readonly S[], lat: number, lng: number): S | undefined {
  let best: S | undefined;
  let bestM = Infinity;
  for (const s of stations) {
    const d = distanceM(lat, lng, s.lat, s.lng);
    if (d < bestM) [best, bestM] = [s, d];
  }
  return best;
}

/** Great-circle distance in metres. */
function distanceM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}

function unique(ids: (string | undefined)[]): string[] {
  return [...new Set(ids.filter((x): x is string => x !== undefined))];
}

/** people[12] (v-li).skills[0] — indexes annotated with the entry's id so the author can find it. */
function describePath(root: unknown, p: readonly PropertyKey[]): string {
  let node: unknown = root;
  let out = '';
  for (const key of p) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      out += `[${key}]`;
      const entryId = node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      if (typeof entryId === 'string') out += ` (${entryId})`;
    } else out += `${out ? '.' : ''}${String(key)}`;
  }
  return out || '(top level)';
}

function describeIssue(i: z.core.$ZodIssue, root: unknown): string {
  let parent: unknown = root;
  for (const key of i.path.slice(0, -1)) parent = parent !== null && typeof parent === 'object' ? (parent as Record<PropertyKey, unknown>)[key] : undefined;
  const last = i.path[i.path.length - 1];
  if (i.code === 'invalid_type' && last !== undefined && parent !== null && typeof parent === 'object' && !(last in parent)) return 'missing field';
  return i.message;
}
