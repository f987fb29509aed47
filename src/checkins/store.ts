import type { Db, Queryable } from '../platform/db.js';

import type { SlotName, Tier } from './domain/vocabulary.js';

export interface CheckinRoom {
  roomId: string;
  name: string;
  tier: Tier;
  gridId: string | null;
}

export interface SlotRow {
  id: string;
  communityId: string;
  tier: Tier;
  roomId: string;
  date: string;
  slot: SlotName;
  scheduledAt: Date;
  promptedAt: Date | null;
}

const SLOT_COLUMNS = `id::text, community_id AS "communityId", tier, room_id AS "roomId", to_char(date, 'YYYY-MM-DD') AS date, slot,
  scheduled_at AS "scheduledAt", prompted_at AS "promptedAt"`;

/** Who answers in each tier: the workers in the workers room, the building leads in a grid room. */
const EXPECTED_ROLE: Record<Tier, string> = { workers: 'worker', grid: 'building_lead' };

export interface CommunitySettingsRow {
  id: string;
  name: string;
  secretaryId: string | null;
  settings: Record<string, unknown>;
}

/** Every community with its settings, or just one when `id` is given. */
export async function listCommunities(db: Db, id?: string): Promise<CommunitySettingsRow[]> {
  const { rows } = await db.query<CommunitySettingsRow>(
    'SELECT id, name, secretary_id AS "secretaryId", settings FROM communities WHERE $1::text IS NULL OR id = $1 ORDER BY id',
    [id ?? null],
  );
  return rows;
}

export async function listCheckinRooms(db: Db, communityId: string): Promise<CheckinRoom[]> {
  const { rows } = await db.query<CheckinRoom>(
    `SELECT id AS "roomId", name, kind AS tier, grid_id AS "gridId" FROM rooms WHERE community_id = $1 AND kind IN ('workers', 'grid') ORDER BY kind DESC, id`,
    [communityId],
  );
  return rows;
}

/**
 * The durable key of a slot: inserted once per room, date and slot; every replica gets the same row,
 * with the people expected to answer recorded alongside.
 */
export async function ensureSlot(db: Db, s: { communityId: string; room: CheckinRoom; date: string; slot: SlotName; scheduledAt: Date }): Promise<SlotRow> {
  await db.query(
    `INSERT INTO checkin_slots (community_id, tier, room_id, date, slot, scheduled_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (room_id, date, slot) DO NOTHING`,
    [s.communityId, s.room.tier, s.room.roomId, s.date, s.slot, s.scheduledAt],
  );
  const { rows } = await db.query<SlotRow>(`SELECT ${SLOT_COLUMNS} FROM checkin_slots WHERE room_id = $1 AND date = $2 AND slot = $3`, [s.room.roomId, s.date, s.slot]);
  const slot = rows[0] as SlotRow;
  await db.query(
    `INSERT INTO checkin_expected (slot_id, person_id)
     SELECT $1, m.person_id FROM room_members m JOIN people p ON p.id = m.person_id WHERE m.room_id = $2 AND p.role = $3
     ON CONFLICT DO NOTHING`,
    [slot.id, s.room.roomId, EXPECTED_ROLE[s.room.tier]],
  );
  return slot;
}

/** Claim a step of a slot (prompt, nudge) exactly once: true for the one caller that set it. */
export async function claimSlotStep(db: Queryable, slotId: string, step: 'prompted' | 'nudged', force = false): Promise<boolean> {
  const column = step === 'prompted' ? 'prompted_at' : 'nudged_at';
  const { rows } = await db.query(
    `UPDATE checkin_slots SET ${column} = COALESCE(${column}, now()), forced_count = forced_count + $2::int
     WHERE id = $1 AND (${column} IS NULL OR $2::int = 1) RETURNING id`,
    [slotId, force ? 1 : 0],
  );
  return rows.length === 1;
}

/** Claim the summary of a community's slot (every room of both tiers) once. */
export async function claimSummary(db: Db, communityId: string, date: string, slot: SlotName): Promise<SlotRow[]> {
  const { rows } = await db.query<SlotRow>(
    `UPDATE checkin_slots SET summarized_at = now()
     WHERE community_id = $1 AND date = $2 AND slot = $3 AND summarized_at IS NULL AND prompted_at IS NOT NULL
     RETURNING ${SLOT_COLUMNS}`,
    [communityId, date, slot],
  );
  return rows;
}

export async function getSlot(db: Db, slotId: string): Promise<SlotRow | null> {
  const { rows } = await db.query<SlotRow>(`SELECT ${SLOT_COLUMNS} FROM checkin_slots WHERE id = $1`, [slotId]);
  return rows[0] ?? null;
}

/** The slot of a room whose prompt is out and whose summary is not: replies now count as check-ins. */
export async function openSlotOfRoom(db: Db, roomId: string): Promise<SlotRow | null> {
  const { rows } = await db.query<SlotRow>(
    `SELECT ${SLOT_COLUMNS} FROM checkin_slots WHERE room_id = $1 AND prompted_at IS NOT NULL AND summarized_at IS NULL
     ORDER BY scheduled_at DESC LIMIT 1`,
    [roomId],
  );
  return rows[0] ?? null;
}

/** Record a person's answer to a slot; false when they were not expected or had answered already. */
export async function markAnswered(db: Db, slotId: string, personId: string, at: Date): Promise<boolean> {
  const { rows } = await db.query(
    'UPDATE checkin_expected SET answered_at = $3 WHERE slot_id = $1 AND person_id = $2 AND answered_at IS NULL RETURNING 1',
    [slotId, personId, at],
  );
  return rows.length === 1;
}

export interface Attendance {
  personId: string;
  name: string;
  answeredAt: Date | null;
}

export async function getAttendance(db: Queryable, slotId: string): Promise<Attendance[]> {
  const { rows } = await db.query<Attendance>(
    `SELECT e.person_id AS "personId", p.name, e.answered_at AS "answeredAt" FROM checkin_expected e JOIN people p ON p.id = e.person_id
     WHERE e.slot_id = $1 ORDER BY e.person_id`,
    [slotId],
  );
  return rows;
}

/** Slots of a community on a date, with attendance: GET /api/checkins. */
export async function listSlots(db: Db, communityId: string, date: string): Promise<(SlotRow & { roomName: string; nudgedAt: Date | null; summarizedAt: Date | null })[]> {
  const { rows } = await db.query(
    `SELECT s.*, r.name AS "roomName" FROM (
       SELECT ${SLOT_COLUMNS}, nudged_at AS "nudgedAt", summarized_at AS "summarizedAt" FROM checkin_slots WHERE community_id = $1 AND date = $2
     ) s JOIN rooms r ON r.id = s."roomId" ORDER BY s."scheduledAt", s.tier DESC, s."roomId"`,
    [communityId, date],
  );
  return rows;
}
