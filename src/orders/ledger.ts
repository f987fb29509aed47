import type { Db, Queryable } from '../platform/db.js';

/** Where service hours come from: the community's service pool, debited as the volunteer is credited. */
const SERVICE_POOL = 'pool:service';

export const volunteerAccount = (personId: string) => `volunteer:${personId}`;

/**
 * Post a balanced pair of entries (volunteer ± hours, the service pool ∓ hours) once per transaction id:
 * the transaction row is inserted first and the entries only with it, in one statement, so a retry or a
 * racing post under the same id is a no-op. Corrections are new transactions, never edits.
 * @returns true when this call posted the entries
 */
async function postServiceHours(db: Queryable, txnId: string, reason: string, orderId: string, volunteerId: string, hours: number): Promise<boolean> {
  const { rows } = await db.query(
    `WITH t AS (
       INSERT INTO ledger_transactions (txn_id, reason, order_id) VALUES ($1, $6, $5)
       ON CONFLICT (txn_id) DO NOTHING RETURNING txn_id)
     INSERT INTO ledger_entries (txn_id, account, hours, reason, order_id)
     SELECT t.txn_id, e.account, e.hours, $6, $5
     FROM t CROSS JOIN (VALUES ($2::text, $3::numeric), ($4::text, -$3::numeric)) AS e(account, hours)
     RETURNING id`,
    [txnId, volunteerAccount(volunteerId), hours, SERVICE_POOL, orderId, reason],
  );
  return rows.length > 0;
}

/**
 * Credit a volunteer's time bank for an order, at most once whoever is credited (the key is the order).
 * @example await creditServiceHours(tx, '42', 'v-li', 1.5) // true, then false for any retry
 */
export function creditServiceHours(db: Queryable, orderId: string, volunteerId: string, hours: number): Promise<boolean> {
  return postServiceHours(db, `service-${orderId}`, 'service', orderId, volunteerId, hours);
}

/**
 * Correct an order's credited hours by `delta` (negative: a compensating entry that reverses hours), once per
 * order version that decided it.
 * @example await adjustServiceHours(tx, '42', 7, 'v-li', -1.5) // the 1.5 hours credited before are taken back
 */
export function adjustServiceHours(db: Queryable, orderId: string, version: number, volunteerId: string, delta: number): Promise<boolean> {
  return postServiceHours(db, `adjust-${orderId}-${version}`, delta < 0 ? 'reversal' : 'adjustment', orderId, volunteerId, delta);
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
