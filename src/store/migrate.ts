import fs from 'node:fs';
import path from 'node:path';
import { withTransaction, type Db } from './db.js';

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
/** Any constant works; it only has to be the same for every replica. */
const MIGRATION_LOCK_KEY = 7_310_514;

/**
 * Apply every migrations/NNN_name.sql not yet applied, in order, each in its own transaction.
 * Replicas starting together serialise on an advisory lock.
 */
export async function migrate(db: Db): Promise<string[]> {
  const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  await withTransaction(db, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    for (const file of files) {
      if (done.has(file)) continue;
      await client.query(fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8'));
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
  });
  return applied;
}
