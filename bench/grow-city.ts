/**
 * Bulk loading for the synthetic city: how a million volunteers fit the five-minute budget. The volunteers'
 * secondary indexes (migration 001 and 003) are dropped and rebuilt around each growth step, because building a
 * GiST index from sorted input is many times faster than inserting into it row by row; foreign-key checks are
 * suspended while the generated rows (consistent by construction) go in. Measurements only ever run against the
 * rebuilt, identical indexes.
 */
import type pg from 'pg';
import type { Db } from '../src/platform/db.js';
import { volunteerStatements } from './synthetic-city.js';

/** Index builds sort in memory up to this much per connection. */
const MAINTENANCE_WORK_MEM = '256MB';
/** Statements run side by side on this many connections (the machine has 2 cores; PostgreSQL does the work). */
const PARALLEL = 3;

export interface GrowReport {
  volunteers: number;
  ms: number;
  /** False when the database user may not suspend foreign-key checks (not a superuser): slower, same rows. */
  fkSuspended: boolean;
}

/**
 * Add volunteers [from, to) and everything that hangs off them, then rebuild the indexes and statistics.
 * @example await growCity(db, 10_000, 100_000, { identities: true })
 */
export async function growCity(db: Db, from: number, to: number, opts: { identities: boolean }): Promise<GrowReport> {
  const started = Date.now();
  const { rows: indexes } = await db.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = 'volunteers' AND indexname <> 'volunteers_pkey'`,
  );
  for (const index of indexes) await db.query(`DROP INDEX ${index.name}`);
  // Only a superuser may suspend foreign-key checks; anyone else loads in dependency order, one at a time.
  const fkSuspended = await isSuperuser(db);
  await runSideBySide(db, volunteerStatements(from, to, opts), fkSuspended ? PARALLEL : 1, async (client, statement) => {
    if (fkSuspended) await client.query('SET session_replication_role = replica');
    await client.query(statement.sql, statement.params).catch((err: unknown) => {
      throw new Error(`generating ${statement.label} [${from}, ${to}): ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await runSideBySide(db, indexes, PARALLEL, async (client, index) => {
    await client.query(`SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
    await client.query(index.def);
  });
  await db.query('VACUUM ANALYZE volunteers');
  for (const table of ['people', 'identities', 'ledger_entries', 'orders']) await db.query(`VACUUM ANALYZE ${table}`);
  return { volunteers: to - from, ms: Date.now() - started, fkSuspended };
}

async function isSuperuser(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
  return rows[0]?.rolsuper === true;
}

/** Run each item's work on its own pooled connection, `lanes` at a time; every session is reset before release. */
async function runSideBySide<T>(db: Db, items: readonly T[], lanes: number, work: (client: pg.PoolClient, item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const lane = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const client = await db.connect();
      // A checked-out client has no error listener (pg-pool removes it); cleanup on Ctrl-C ends these sessions.
      const ignore = () => undefined;
      client.on('error', ignore);
      try {
        await work(client, item);
      } finally {
        await client.query('RESET ALL').catch(() => undefined);
        client.off('error', ignore);
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
