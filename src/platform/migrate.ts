import fs from 'node:fs';
import path from 'node:path';
import { withTransaction, type Db } from './db.js';

/** Any constant works; it only has to be the same for every replica. */
const MIGRATION_LOCK_KEY = 7_310_514;
/** A first line `-- replaces: 001_init.sql, …` names files of the layout before feature rooms that this one split out of. */
const REPLACES = /^--\s*replaces:\s*(.+)$/m;

/** One feature's migrations: `<dir>/NNN_name.sql`, applied in file-name order under the feature's name. */
export interface MigrationSource {
  feature: string;
  dir: string;
}

/**
 * Apply every migration not yet applied: feature by feature in the order given (a feature's tables may
 * reference those of the features before it), each feature's files in name order, all in one transaction.
 * Replicas starting together serialise on an advisory lock. A file whose `replaces:` names were applied
 * (a database made before the tables moved into feature folders) is recorded without running.
 * @example await migrate(db, [{ feature: 'orders', dir: 'src/orders/migrations' }]) // ['orders/001_orders.sql']
 */
export async function migrate(db: Db, sources: readonly MigrationSource[]): Promise<string[]> {
  const applied: string[] = [];
  await withTransaction(db, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    for (const source of sources) {
      if (!fs.existsSync(source.dir)) continue;
      for (const file of fs.readdirSync(source.dir).filter((f) => /^\d+_.+\.sql$/.test(f)).sort()) {
        const name = `${source.feature}/${file}`;
        if (done.has(name)) continue;
        const sql = fs.readFileSync(path.join(source.dir, file), 'utf8');
        const replaced = REPLACES.exec(sql)?.[1]?.split(',').map((s) => s.trim()) ?? [];
        if (replaced.length === 0 || !replaced.every((r) => done.has(r))) {
          await client.query(sql);
          applied.push(name);
        }
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        done.add(name);
      }
    }
  });
  return applied;
}
