import type { Db } from '../platform/db.js';
import type { ItemKind, ItemStatus, RiskLevel } from './domain/vocabulary.js';

export type { ItemKind };

/** An entry of the needs list (居民需求清单) or the risk list (风险隐患清单). */
export interface Item {
  no: string;
  kind: ItemKind;
  communityId: string;
  gridId: string | null;
  roomId: string | null;
  reporterId: string;
  reporterName: string;
  ownerId: string | null;
  ownerName: string | null;
  text: string;
  level: RiskLevel | null;
  status: ItemStatus;
  note: string | null;
  orderNo: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

const ITEM_SELECT = `SELECT i.id::text AS no, i.kind, i.community_id AS "communityId", i.grid_id AS "gridId", i.room_id AS "roomId",
  i.reporter_id AS "reporterId", rp.name AS "reporterName", i.owner_id AS "ownerId", op.name AS "ownerName", i.text, i.level,
  i.status, i.note, o.no AS "orderNo", i.created_at AS "createdAt", i.closed_at AS "closedAt"
  FROM checkin_items i JOIN people rp ON rp.id = i.reporter_id LEFT JOIN people op ON op.id = i.owner_id
  LEFT JOIN orders o ON o.id = i.order_id`;

/**
 * Add an item; its owner is the reporter's grid worker (a worker owns what they report themself).
 * @returns the new item's number
 */
export async function insertItem(
  db: Db,
  i: { kind: ItemKind; communityId: string; roomId: string | null; slotId: string | null; reporterId: string; text: string; level: RiskLevel | null },
): Promise<string> {
  const { rows } = await db.query<{ no: string }>(
    `INSERT INTO checkin_items (kind, community_id, grid_id, room_id, slot_id, reporter_id, owner_id, text, level)
     SELECT $1, $2, COALESCE(g.id, rg.id), $3, $4, p.id,
            CASE WHEN p.role = 'worker' THEN p.id ELSE COALESCE(g.worker_id, rg.worker_id) END, $6, $7
     FROM people p
     LEFT JOIN grids g ON g.id = p.grid_id
     LEFT JOIN rooms r ON r.id = $3
     LEFT JOIN grids rg ON rg.id = r.grid_id
     WHERE p.id = $5
     RETURNING id::text AS no`,
    [i.kind, i.communityId, i.roomId, i.slotId, i.reporterId, i.text.slice(0, 1000), i.kind === 'risk' ? (i.level ?? '一般') : null],
  );
  return (rows[0] as { no: string }).no;
}

export async function getItem(db: Db, no: string): Promise<Item | null> {
  if (!/^\d{1,18}$/.test(no)) return null;
  const { rows } = await db.query<Item>(`${ITEM_SELECT} WHERE i.id = $1`, [no]);
  return rows[0] ?? null;
}

/** Close an open item with a note (销号); false when it was not open. */
export async function closeItem(db: Db, no: string, by: string, note: string | null): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE checkin_items SET status = 'closed', note = $3, closed_by = $2, closed_at = now() WHERE id = $1 AND status = 'open' RETURNING 1`,
    [no, by, note],
  );
  return rows.length === 1;
}

/** Take an open need for conversion into an order (转单), once; false when it was not an open need. */
export async function claimConversion(db: Db, no: string, by: string): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE checkin_items SET status = 'converted', closed_by = $2, closed_at = now() WHERE id = $1 AND kind = 'need' AND status = 'open' RETURNING 1`,
    [no, by],
  );
  return rows.length === 1;
}

/** Link a converted need to its order, or give it back when the order could not be placed. */
export async function finishConversion(db: Db, no: string, orderId: string | null): Promise<void> {
  if (orderId) await db.query('UPDATE checkin_items SET order_id = $2 WHERE id = $1', [no, orderId]);
  else await db.query(`UPDATE checkin_items SET status = 'open', closed_by = NULL, closed_at = NULL WHERE id = $1`, [no]);
}

/** Reassign an item's owner, or reopen/close it from the admin API. */
export async function updateItem(db: Db, no: string, change: { ownerId?: string; status?: 'open' | 'closed'; note?: string; by?: string }): Promise<Item | null> {
  await db.query(
    `UPDATE checkin_items SET owner_id = COALESCE($2, owner_id),
       status = COALESCE($3, status), note = COALESCE($4, note),
       closed_at = CASE WHEN $3 = 'closed' AND status <> 'closed' THEN now() WHEN $3 = 'open' THEN NULL ELSE closed_at END,
       closed_by = CASE WHEN $3 = 'closed' AND status <> 'closed' THEN $5 WHEN $3 = 'open' THEN NULL ELSE closed_by END
     WHERE id = $1`,
    [no, change.ownerId ?? null, change.status ?? null, change.note ?? null, change.by ?? null],
  );
  return getItem(db, no);
}

export interface ItemFilter {
  kind: ItemKind;
  community?: string;
  grid?: string;
  status?: ItemStatus;
  level?: RiskLevel;
  since?: Date;
  limit?: number;
}

export async function listItems(db: Db, f: ItemFilter): Promise<Item[]> {
  const { rows } = await db.query<Item>(
    `${ITEM_SELECT}
     WHERE i.kind = $1 AND ($2::text IS NULL OR i.community_id = $2) AND ($3::text IS NULL OR i.grid_id = $3)
       AND ($4::text IS NULL OR i.status = $4) AND ($5::text IS NULL OR i.level = $5) AND ($6::timestamptz IS NULL OR i.created_at >= $6)
     ORDER BY i.id LIMIT $7`,
    [f.kind, f.community ?? null, f.grid ?? null, f.status ?? null, f.level ?? null, f.since ?? null, f.limit ?? 1000],
  );
  return rows;
}
