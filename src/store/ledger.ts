import type { Db } from './db.js';

/** Where service hours come from: the community's service pool, debited as the volunteer is credited. */
const SERVICE_POOL = 'pool:service';

export const volunteerAccount = (personId: string) => `volunteer:${personId}`;

/**
 * Credit a volunteer's time bank for an order, at most once: the transaction row, keyed by the order,
 * is inserted first and its balanced pair of entries only with it, in one statement, so a retry or a
 * racing credit (even to someone else) is a no-op.
 * @returns true when this call credited the hours
 */
export async function creditServiceHours(db: Db, orderId: string, volunteerId: string, hours: number): Promise<boolean> {
  const { rows } = await db.query(
    `WITH t AS (
       INSERT INTO ledger_transactions (txn_id, reason, order_id) VALUES ($1, 'service', $5)
       ON CONFLICT (txn_id) DO NOTHING RETURNING txn_id)
     INSERT INTO ledger_entries (txn_id, account, hours, reason, order_id)
     SELECT t.txn_id, e.account, e.hours, 'service', $5
     FROM t CROSS JOIN (VALUES ($2::text, $3::numeric), ($4::text, -$3::numeric)) AS e(account, hours)
     RETURNING id`,
    [`service-${orderId}`, volunteerAccount(volunteerId), hours, SERVICE_POOL, orderId],
  );
  return rows.length > 0;
}

export interface LedgerEntry {
  txnId: string;
  account: string;
  hours: number;
  reason: string;
  orderId: string | null;
  createdAt: string;
}

export async function getEntries(db: Db, filter: { account?: string; orderId?: string }): Promise<LedgerEntry[]> {
  const { rows } = await db.query<{ txn_id: string; account: string; hours: string; reason: string; order_id: string | null; created_at: Date }>(
    `SELECT txn_id, account, hours, reason, order_id::text, created_at FROM ledger_entries
     WHERE ($1::text IS NULL OR account = $1) AND ($2::bigint IS NULL OR order_id = $2) ORDER BY id`,
    [filter.account ?? null, filter.orderId ?? null],
  );
  return rows.map((r) => ({ txnId: r.txn_id, account: r.account, hours: Number(r.hours), reason: r.reason, orderId: r.order_id, createdAt: r.created_at.toISOString() }));
}

/** A balance is always the sum of the account's entries. */
export async function getBalance(db: Db, account: string): Promise<number> {
  const { rows } = await db.query<{ sum: string | null }>('SELECT sum(hours) FROM ledger_entries WHERE account = $1', [account]);
  return Number(rows[0]?.sum ?? 0);
}
