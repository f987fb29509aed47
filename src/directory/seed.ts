/**
 * Seeding: the validated directory file (see `directory-file.ts`) becomes rows, inserted once into an empty
 * database.
 */
import type pg from 'pg';
import { distanceMeters, type LatLng } from '../kernel/geo.js';
import type { AvailabilityWindow } from './types.js';
import { withTransaction, type Db } from '../platform/db.js';
import {
  buildingIndex,
  DEFAULT_DIRECTORY_FILE,
  isVolunteerRole,
  loadDirectory,
  type DirectoryCommunity,
  type DirectoryFile,
  type DirectoryPerson,
  type DirectoryRole,
} from './directory-file.js';

export { DEFAULT_DIRECTORY_FILE, loadDirectory, parseAvailability } from './directory-file.js';

/** Channel whose external ids are the directory ids themselves. */
const SIM_CHANNEL = 'sim';
/** Serialises concurrent seeding by several replicas; any constant distinct from the migration lock. */
const SEED_LOCK_KEY = 7_310_515;

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

/** Everything derived: coordinates and grid from the building, home station, room members, settings. */
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
      stationId: nearest(stations, { lat: row.lat, lng: row.lng })?.id ?? null,
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
  return { communities: dir.communities.map((c) => ({ ...c, settings: buildSettings(c) })), rooms, people, volunteers };
}

/**
 * The `communities.settings` jsonb: the free-form `settings` plus the `checkins` and `orders` blocks in the shape
 * their features read, e.g. { checkins: { slots: { morning: '08:30' }, restDays: [0] }, orders: { escalationMinutes:
 * [5, 15, 30] } }. Only the keys given are written, so each feature's defaults apply to the rest.
 */
function buildSettings(c: DirectoryCommunity): Record<string, unknown> {
  const settings: Record<string, unknown> = { ...c.settings };
  if (c.checkins) {
    const { morning, evening, rest_days: restDays, holidays } = c.checkins;
    const slots = { ...(morning !== undefined && { morning }), ...(evening !== undefined && { evening }) };
    settings.checkins = { ...(Object.keys(slots).length > 0 && { slots }), ...(restDays !== undefined && { restDays }), ...(holidays !== undefined && { holidays }) };
  }
  if (c.orders) {
    const [start, end] = c.orders.quiet_hours?.split('-') ?? [];
    settings.orders = { ...(c.orders.escalation_minutes && { escalationMinutes: c.orders.escalation_minutes }), ...(start && end && { quietHours: { start, end } }) };
  }
  return settings;
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

// ── Helpers ────────────────────────────────────────────────────────────────────────────────────────────────────

/** The station closest to `point` in a straight line; undefined when there is none. */
function nearest<S extends LatLng>(stations: readonly S[], point: LatLng): S | undefined {
  let best: S | undefined;
  let bestM = Infinity;
  for (const s of stations) {
    const d = distanceMeters(point, s);
    if (d < bestM) [best, bestM] = [s, d];
  }
  return best;
}

function unique(ids: (string | undefined)[]): string[] {
  return [...new Set(ids.filter((x): x is string => x !== undefined))];
}
