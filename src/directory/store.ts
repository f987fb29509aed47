import type { Community, Person, Room } from './types.js';
import type { Db, Queryable } from '../platform/db.js';

const PERSON_COLUMNS = 'id, name, role, community_id AS "communityId", grid_id AS "gridId", phone, address, building, lat, lng';
const ROOM_COLUMNS = 'id, name, kind, community_id AS "communityId", grid_id AS "gridId"';

export async function getPerson(db: Queryable, id: string): Promise<Person | null> {
  const { rows } = await db.query<Person>(`SELECT ${PERSON_COLUMNS} FROM people WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function getRoom(db: Db, id: string): Promise<Room | null> {
  const { rows } = await db.query<Room>(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function getCommunity(db: Queryable, id: string): Promise<Community | null> {
  const { rows } = await db.query<Community>(
    `SELECT id, name, street_id AS "streetId", street_name AS "streetName", lat, lng, secretary_id AS "secretaryId", settings FROM communities WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** The directory id a platform identity is bound to. */
export async function resolveIdentity(db: Db, channel: string, externalId: string, kind: 'person' | 'room'): Promise<string | null> {
  const { rows } = await db.query<{ ref_id: string }>(
    'SELECT ref_id FROM identities WHERE channel = $1 AND external_id = $2 AND kind = $3',
    [channel, externalId, kind],
  );
  return rows[0]?.ref_id ?? null;
}

/** Every platform identity of a person or room, to deliver a message on each channel that knows them. */
export async function identitiesOf(db: Queryable, kind: 'person' | 'room', refIds: string[]): Promise<{ channel: string; externalId: string; refId: string }[]> {
  if (refIds.length === 0) return [];
  const { rows } = await db.query<{ channel: string; external_id: string; ref_id: string }>(
    'SELECT channel, external_id, ref_id FROM identities WHERE kind = $1 AND ref_id = ANY($2)',
    [kind, refIds],
  );
  return rows.map((r) => ({ channel: r.channel, externalId: r.external_id, refId: r.ref_id }));
}

export async function bindIdentity(db: Db, channel: string, externalId: string, kind: 'person' | 'room', refId: string): Promise<void> {
  await db.query(
    `INSERT INTO identities (channel, external_id, kind, ref_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel, external_id) DO UPDATE SET kind = EXCLUDED.kind, ref_id = EXCLUDED.ref_id`,
    [channel, externalId, kind, refId],
  );
}

/**
 * A newcomer writing privately becomes a resident of the default community, bound to that identity,
 * so an elderly person never has to register before asking for help. Concurrent first messages bind once.
 */
export async function registerResident(db: Db, channel: string, externalId: string, name: string, communityId: string): Promise<string> {
  const id = `r-${channel}-${externalId}`.slice(0, 120);
  await db.query(
    `INSERT INTO people (id, name, role, community_id) VALUES ($1, $2, 'resident', $3) ON CONFLICT (id) DO NOTHING`,
    [id, name, communityId],
  );
  await db.query(
    `INSERT INTO identities (channel, external_id, kind, ref_id) VALUES ($1, $2, 'person', $3) ON CONFLICT DO NOTHING`,
    [channel, externalId, id],
  );
  return (await resolveIdentity(db, channel, externalId, 'person')) ?? id;
}

export async function saveProfile(db: Db, personId: string, p: { address?: string; building?: string | null; phone?: string }): Promise<void> {
  await db.query(
    `UPDATE people SET address = COALESCE($2, address), building = COALESCE($3, building), phone = COALESCE($4, phone) WHERE id = $1`,
    [personId, p.address ?? null, p.building ?? null, p.phone ?? null],
  );
}

export async function listPeople(db: Db): Promise<Pick<Person, 'id' | 'name' | 'role'>[]> {
  const { rows } = await db.query<Pick<Person, 'id' | 'name' | 'role'>>('SELECT id, name, role FROM people ORDER BY role, id');
  return rows;
}

export async function listRooms(db: Db): Promise<(Room & { members: string[] })[]> {
  const { rows } = await db.query<Room & { members: string[] }>(
    `SELECT r.id, r.name, r.kind, r.community_id AS "communityId", r.grid_id AS "gridId",
       COALESCE(array_agg(m.person_id ORDER BY m.person_id) FILTER (WHERE m.person_id IS NOT NULL), '{}') AS members
     FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id GROUP BY r.id ORDER BY r.id`,
  );
  return rows;
}

export async function isRoomMember(db: Db, roomId: string, personId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM room_members WHERE room_id = $1 AND person_id = $2', [roomId, personId]);
  return rows.length > 0;
}

/** Find a person by (part of) their name, preferring the given community; for 「派单 单号 @名字」. */
export async function findPersonByName(db: Db, name: string, communityId: string | null): Promise<Person | null> {
  const { rows } = await db.query<Person>(
    `SELECT ${PERSON_COLUMNS} FROM people WHERE name = $1 OR id = $1
     ORDER BY (community_id IS NOT DISTINCT FROM $2) DESC, id LIMIT 1`,
    [name.trim(), communityId],
  );
  return rows[0] ?? null;
}

/** The grid a building belongs to, and its coordinates when known. */
export async function locateBuilding(db: Db, communityId: string, building: string | null): Promise<{ gridId: string | null; lat: number | null; lng: number | null }> {
  if (!building) return { gridId: null, lat: null, lng: null };
  const { rows } = await db.query<{ grid_id: string | null; lat: number | null; lng: number | null }>(
    `SELECT (SELECT id FROM grids WHERE community_id = $1 AND $2 = ANY(buildings) LIMIT 1) AS grid_id,
            b.lat, b.lng
     FROM (SELECT 1) one LEFT JOIN buildings b ON b.community_id = $1 AND b.building = $2`,
    [communityId, building],
  );
  const r = rows[0];
  return { gridId: r?.grid_id ?? null, lat: r?.lat ?? null, lng: r?.lng ?? null };
}

/** The grid worker and the secretary responsible for a place: who hears about emergencies and unclaimed orders. */
export async function staffFor(db: Db, communityId: string, gridId: string | null): Promise<Person[]> {
  const { rows } = await db.query<Person>(
    `SELECT ${PERSON_COLUMNS} FROM people WHERE id IN (
       SELECT worker_id FROM grids WHERE id = $2
       UNION SELECT secretary_id FROM communities WHERE id = $1)
     ORDER BY role DESC`,
    [communityId, gridId],
  );
  return rows;
}

/** Team rooms for a dispatch level: the given teams, every team of the community, or of the street. */
export async function teamRooms(db: Db, scope: { teamIds: string[] } | { communityId: string } | { streetId: string }): Promise<string[]> {
  const { rows } = await db.query<{ room_id: string }>(
    `SELECT DISTINCT t.room_id FROM teams t JOIN communities c ON c.id = t.community_id
     WHERE t.room_id IS NOT NULL AND (t.id = ANY($1) OR c.id = $2 OR c.street_id = $3) ORDER BY t.room_id`,
    ['teamIds' in scope ? scope.teamIds : [], 'communityId' in scope ? scope.communityId : null, 'streetId' in scope ? scope.streetId : null],
  );
  return rows.map((r) => r.room_id);
}

/** The first community, where newcomers are placed until an address says otherwise. */
export async function defaultCommunityId(db: Db): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM communities ORDER BY id LIMIT 1');
  return rows[0]?.id ?? null;
}
