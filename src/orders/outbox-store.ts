/** SQL of the effects outbox (order_effects): what transitions asked for beyond the database, until carried out. */
import type { Db, Queryable } from '../platform/db.js';
import type { Order } from './domain/types.js';

/** Queue a transition's outbox effects, in its transaction: one row per effect, keyed by order, version and position. */
export async function insertEffects(tx: Queryable, order: Order, effects: readonly object[]): Promise<void> {
  if (effects.length === 0) return;
  await tx.query(
    `INSERT INTO order_effects (order_id, version, seq, effect, snapshot)
     SELECT $1, $2, (ord - 1)::smallint, e, $4::jsonb FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(e, ord)
     ON CONFLICT DO NOTHING`,
    [order.id, order.version, JSON.stringify(effects), JSON.stringify(order)],
  );
}

export interface PendingEffect {
  orderId: string;
  version: number;
  seq: number;
  effect: unknown;
  snapshot: Order;
}

/** The order's effects not carried out yet, oldest first. */
export async function listPendingEffects(db: Queryable, orderId: string): Promise<PendingEffect[]> {
  const { rows } = await db.query<{ version: number; seq: number; effect: unknown; snapshot: Order }>(
    'SELECT version, seq, effect, snapshot FROM order_effects WHERE order_id = $1 AND done_at IS NULL ORDER BY version, seq',
    [orderId],
  );
  return rows.map((r) => ({ orderId, version: r.version, seq: r.seq, effect: r.effect, snapshot: r.snapshot }));
}

/** Lock the order's pending effects for this transaction; returns their keys. */
export async function lockPendingEffects(tx: Queryable, orderId: string): Promise<{ version: number; seq: number }[]> {
  const { rows } = await tx.query<{ version: number; seq: number }>(
    'SELECT version, seq FROM order_effects WHERE order_id = $1 AND done_at IS NULL ORDER BY version, seq FOR UPDATE',
    [orderId],
  );
  return rows;
}

export async function markEffectsDone(tx: Queryable, orderId: string, effects: readonly Pick<PendingEffect, 'version' | 'seq'>[]): Promise<void> {
  if (effects.length === 0) return;
  await tx.query(
    `UPDATE order_effects SET done_at = now() WHERE order_id = $1 AND (version, seq) IN (SELECT * FROM unnest($2::int[], $3::smallint[]))`,
    [orderId, effects.map((e) => e.version), effects.map((e) => e.seq)],
  );
}

/** Orders with effects still pending from before `before` (their processing was lost), for the sweep. */
export async function listOrdersWithStrandedEffects(db: Db, before: Date, limit = 500): Promise<{ orderId: string; version: number }[]> {
  const { rows } = await db.query<{ order_id: string; version: number }>(
    `SELECT order_id::text, max(version) AS version FROM order_effects WHERE done_at IS NULL AND created_at < $1 GROUP BY order_id ORDER BY min(created_at) LIMIT $2`,
    [before, limit],
  );
  return rows.map((r) => ({ orderId: r.order_id, version: r.version }));
}
