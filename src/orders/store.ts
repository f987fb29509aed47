import type { EscalationLevel, Order, OrderStatus, RankedCandidate } from './domain/types.js';
import { OPEN_STATUSES } from './domain/types.js';
import type { Db, Queryable } from '../platform/db.js';

/** Note: `id::text` is named id, so ORDER BY must say orders.id to sort by number, not by text. */
const ORDER_COLUMNS = `id::text, no, resident_id, created_by, community_id, grid_id, category, description, urgent,
  wanted_at, planned_hours, lat, lng, area, status, escalation_level, volunteer_id, hours, rating, comment,
  auto_confirmed, credited, version`;

interface OrderRow {
  id: string;
  no: string;
  resident_id: string;
  created_by: string;
  community_id: string;
  grid_id: string | null;
  category: Order['category'];
  description: string;
  urgent: boolean;
  wanted_at: Date | null;
  planned_hours: string;
  lat: number;
  lng: number;
  area: string;
  status: OrderStatus;
  escalation_level: number;
  volunteer_id: string | null;
  hours: string | null;
  rating: number | null;
  comment: string | null;
  auto_confirmed: boolean;
  credited: boolean;
  version: number;
}

function toOrder(r: OrderRow): Order {
  return {
    id: r.id,
    no: r.no,
    residentId: r.resident_id,
    createdBy: r.created_by,
    communityId: r.community_id,
    gridId: r.grid_id,
    category: r.category,
    description: r.description,
    urgent: r.urgent,
    wantedAt: r.wanted_at ? r.wanted_at.toISOString() : null,
    plannedHours: Number(r.planned_hours),
    lat: r.lat,
    lng: r.lng,
    area: r.area,
    status: r.status,
    escalationLevel: r.escalation_level as EscalationLevel,
    volunteerId: r.volunteer_id,
    hours: r.hours === null ? null : Number(r.hours),
    rating: r.rating,
    comment: r.comment,
    autoConfirmed: r.auto_confirmed,
    credited: r.credited,
    version: r.version,
  };
}

export interface NewOrder {
  residentId: string;
  createdBy: string;
  communityId: string;
  gridId: string | null;
  category: Order['category'];
  description: string;
  urgent: boolean;
  wantedAt: Date | null;
  plannedHours: number;
  lat: number;
  lng: number;
  area: string;
  address: string;
  phone: string | null;
}

const UNIQUE_VIOLATION = '23505';
const NUMBER_ATTEMPTS = 20;

/**
 * Insert an order under a fresh short number (6 digits, unique among open orders: the partial unique
 * index decides, so two replicas can never hand out the same one).
 */
export async function insertOrder(db: Db, o: NewOrder, pickNumber: () => string, actor: { id: string; channel: string }): Promise<Order> {
  for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++) {
    try {
      const { rows } = await db.query<OrderRow>(
        `WITH o AS (
           INSERT INTO orders (no, resident_id, created_by, community_id, grid_id, category, description, urgent, wanted_at,
             planned_hours, lat, lng, area, address, phone, status)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,'submitted') RETURNING *),
         e AS (INSERT INTO order_events (order_id, from_status, to_status, event, actor, channel)
           SELECT id, NULL, 'submitted', '{"type":"submit"}', $3, $16 FROM o)
         SELECT ${ORDER_COLUMNS} FROM o`,
        [pickNumber(), o.residentId, o.createdBy, o.communityId, o.gridId, o.category, o.description, o.urgent, o.wantedAt,
          o.plannedHours, o.lat, o.lng, o.area, o.address, o.phone, actor.channel],
      );
      return toOrder(rows[0] as OrderRow);
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    }
  }
  throw new Error('No free order number after several attempts');
}

export async function getOrder(db: Queryable, id: string): Promise<Order | null> {
  const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`, [id]);
  return rows[0] ? toOrder(rows[0]) : null;
}

/** The order, locked until the transaction ends: changes to one order happen one after another. */
export async function lockOrder(tx: Queryable, id: string): Promise<Order | null> {
  const { rows } = await tx.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ? toOrder(rows[0]) : null;
}

/** The open order with this number, or else the most recent closed one. */
export async function getOrderByNo(db: Db, no: string): Promise<Order | null> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE no = $1 ORDER BY (status = ANY($2)) DESC, orders.id DESC LIMIT 1`,
    [no, OPEN_STATUSES],
  );
  return rows[0] ? toOrder(rows[0]) : null;
}

/** Private details, for the volunteer who claimed the order only. */
export async function getOrderContact(db: Queryable, id: string): Promise<{ address: string; phone: string | null }> {
  const { rows } = await db.query<{ address: string; phone: string | null }>('SELECT address, phone FROM orders WHERE id = $1', [id]);
  return rows[0] ?? { address: '', phone: null };
}

/**
 * Save a transition if nobody changed the order meanwhile: one conditional UPDATE on the version the
 * transition started from. Returns false when another change won (the caller reloads and explains).
 */
export async function saveTransition(
  db: Queryable,
  before: Order,
  after: Order,
  event: object,
  actor: { id: string | null; channel: string | null },
): Promise<boolean> {
  const { rows } = await db.query(
    `WITH u AS (
       UPDATE orders SET status = $3, escalation_level = $4, volunteer_id = $5, hours = $6, rating = $7, comment = $8,
         auto_confirmed = $9, version = $10, credited = $15, updated_at = now()
       WHERE id = $1 AND version = $2 RETURNING id)
     INSERT INTO order_events (order_id, from_status, to_status, event, actor, channel)
     SELECT id, $11, $3, $12, $13, $14 FROM u RETURNING id`,
    [before.id, before.version, after.status, after.escalationLevel, after.volunteerId, after.hours, after.rating, after.comment,
      after.autoConfirmed, after.version, before.status, JSON.stringify(event), actor.id, actor.channel, after.credited],
  );
  return rows.length === 1;
}

export interface StatusChange {
  from: OrderStatus | null;
  to: OrderStatus;
  event: string;
  actor: string | null;
  channel: string | null;
  at: string;
}

export async function getOrderHistory(db: Db, id: string): Promise<StatusChange[]> {
  const { rows } = await db.query<{ from_status: OrderStatus | null; to_status: OrderStatus; event: { type: string }; actor: string | null; channel: string | null; at: Date }>(
    'SELECT from_status, to_status, event, actor, channel, at FROM order_events WHERE order_id = $1 ORDER BY id',
    [id],
  );
  return rows.map((r) => ({ from: r.from_status, to: r.to_status, event: r.event.type, actor: r.actor, channel: r.channel, at: r.at.toISOString() }));
}

/** Orders a person placed, serves, or placed for someone else; newest first. */
export async function listOrdersOfPerson(db: Db, personId: string, limit = 10): Promise<Order[]> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE resident_id = $1 OR volunteer_id = $1 OR created_by = $1
     ORDER BY (status = ANY($2)) DESC, orders.id DESC LIMIT $3`,
    [personId, OPEN_STATUSES, limit],
  );
  return rows.map(toOrder);
}

/**
 * The resident's order that waits for their confirmation or rating: one marked done, or else one they confirmed
 * in the last week without rating (they may still rate it once, SPEC §4.7).
 */
export async function findOrderAwaitingRating(db: Db, residentId: string): Promise<Order | null> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE resident_id = $1
       AND (status = 'done' OR (status = 'confirmed' AND rating IS NULL AND NOT auto_confirmed AND hours > 0 AND updated_at > now() - interval '7 days'))
     ORDER BY (status = 'done') DESC, updated_at DESC LIMIT 1`,
    [residentId],
  );
  return rows[0] ? toOrder(rows[0]) : null;
}

/** An open order of the same category at the same address (the duplicate check of SPEC §4.1). */
export async function findOpenDuplicate(db: Db, residentId: string, category: string, address: string): Promise<Order | null> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE resident_id = $1 AND category = $2 AND address = $3
       AND status IN ('submitted', 'offered', 'claimed', 'in_service', 'unclaimed') ORDER BY orders.id DESC LIMIT 1`,
    [residentId, category, address],
  );
  return rows[0] ? toOrder(rows[0]) : null;
}

/** Record the ranking with its parts; a later level keeps earlier rows (first rank wins). */
export async function saveCandidates(db: Queryable, orderId: string, level: number, ranked: RankedCandidate[]): Promise<void> {
  if (ranked.length === 0) return;
  await db.query(
    `INSERT INTO order_candidates (order_id, volunteer_id, level, rank, score, parts, distance_m, inside_circle)
     SELECT $1, c->>'volunteerId', $2, (ord)::int, (c->>'score')::float8, c->'parts', (c->>'distanceM')::float8,
            (c->>'insideCircle')::boolean
     FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(c, ord)
     ON CONFLICT (order_id, volunteer_id) DO NOTHING`,
    [orderId, level, JSON.stringify(ranked)],
  );
}

/** Mark candidates as offered privately; returns only those not offered before (a retried dispatch never repeats). */
export async function markOfferedPrivately(db: Queryable, orderId: string, volunteerIds: string[]): Promise<string[]> {
  if (volunteerIds.length === 0) return [];
  const { rows } = await db.query<{ volunteer_id: string }>(
    `UPDATE order_candidates SET offered_privately = true
     WHERE order_id = $1 AND volunteer_id = ANY($2) AND NOT offered_privately RETURNING volunteer_id`,
    [orderId, volunteerIds],
  );
  return rows.map((r) => r.volunteer_id);
}

export interface StoredCandidate extends RankedCandidate {
  level: number;
  rank: number;
  offeredPrivately: boolean;
}

export async function getCandidates(db: Db, orderId: string): Promise<StoredCandidate[]> {
  const { rows } = await db.query<{ volunteer_id: string; team_id: string | null; level: number; rank: number; score: number; parts: RankedCandidate['parts']; distance_m: number; inside_circle: boolean; offered_privately: boolean }>(
    `SELECT c.volunteer_id, v.team_id, c.level, c.rank, c.score, c.parts, c.distance_m, c.inside_circle, c.offered_privately
     FROM order_candidates c LEFT JOIN volunteers v ON v.person_id = c.volunteer_id
     WHERE c.order_id = $1 ORDER BY c.level, c.rank`,
    [orderId],
  );
  return rows.map((r) => ({
    volunteerId: r.volunteer_id,
    teamId: r.team_id,
    level: r.level,
    rank: r.rank,
    score: r.score,
    parts: r.parts,
    distanceM: r.distance_m,
    insideCircle: r.inside_circle,
    offeredPrivately: r.offered_privately,
  }));
}

/**
 * Mark rooms as offered this order; returns only the rooms not offered before, so a retried
 * dispatch never posts twice in the same room.
 */
export async function claimOrderRooms(db: Queryable, orderId: string, roomIds: string[], level: number): Promise<string[]> {
  if (roomIds.length === 0) return [];
  const { rows } = await db.query<{ room_id: string }>(
    `INSERT INTO order_rooms (order_id, room_id, level) SELECT $1, unnest($2::text[]), $3
     ON CONFLICT (order_id, room_id) DO NOTHING RETURNING room_id`,
    [orderId, roomIds, level],
  );
  return rows.map((r) => r.room_id);
}

export async function listOrderRooms(db: Queryable, orderId: string): Promise<string[]> {
  const { rows } = await db.query<{ room_id: string }>('SELECT room_id FROM order_rooms WHERE order_id = $1 ORDER BY room_id', [orderId]);
  return rows.map((r) => r.room_id);
}

/** Where an emergency was filed before the resident said where they are. */
export const ADDRESS_PENDING = '地址待确认';

/**
 * Attach the address a resident sends after an emergency filed without one.
 * @returns the order, or null when the resident has no such order open
 */
export async function fillPendingAddress(db: Db, residentId: string, address: string): Promise<Order | null> {
  const { rows } = await db.query<OrderRow>(
    `UPDATE orders SET address = $2, updated_at = now()
     WHERE id = (SELECT id FROM orders WHERE resident_id = $1 AND address = $3 AND status = ANY($4) ORDER BY id DESC LIMIT 1)
     RETURNING ${ORDER_COLUMNS}`,
    [residentId, address, ADDRESS_PENDING, OPEN_STATUSES],
  );
  return rows[0] ? toOrder(rows[0]) : null;
}

/** Orders still submitted (never offered) since before `before`, for the sweep that queues their dispatch again. */
export async function listStrandedSubmitted(db: Db, before: Date, limit = 500): Promise<Order[]> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE status = 'submitted' AND created_at < $1 ORDER BY created_at LIMIT $2`,
    [before, limit],
  );
  return rows.map(toOrder);
}
