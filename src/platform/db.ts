import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** The one database shape the code sees: a node-postgres Pool, backed by a server or by embedded PGlite. */
export type Db = pg.Pool;
/** Anything that runs a query: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

export interface OpenDatabaseOptions {
  /** postgres://… to use a server; null for embedded PGlite. */
  url: string | null;
  /** Where PGlite keeps its files; 'memory://' keeps nothing. */
  dataDir: string;
  /** Isolate everything in this schema (tests, benchmarks). Created when missing. */
  schema?: string;
  max?: number;
}

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Open the database and leave it ready for queries.
 * @example const { db, close } = await openDatabase({ url: null, dataDir: './data/pglite' })
 */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) throw new Error(`Bad schema name: ${opts.schema}`);
  const searchPath = opts.schema ? { options: `-c search_path=${opts.schema}` } : {};
  if (opts.url) {
    if (opts.schema) {
      const admin = new pg.Client({ connectionString: opts.url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
      await admin.end();
    }
    const db = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 10, ...searchPath });
    db.on('error', () => undefined); // idle-client errors surface on the next query instead of crashing
    return { db, kind: 'postgres', close: () => db.end() };
  }
  // PGlite's node-postgres adapter is ESM-only; a dynamic import keeps this module CommonJS.
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  if (opts.dataDir !== 'memory://') fs.mkdirSync(path.resolve(opts.dataDir), { recursive: true });
  const lite = await PGlite.create(opts.dataDir === 'memory://' ? undefined : path.resolve(opts.dataDir));
  if (opts.schema) await lite.exec(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}; SET search_path = ${opts.schema}`);
  const db = new pg.Pool(createPgConfig(lite));
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.end();
      await lite.close();
    },
  };
}

/** Run fn inside one transaction on one client. */
export async function withTransaction<T>(db: Db, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  // A connection lost mid-transaction surfaces as the failing query, not as an unhandled 'error' event.
  const ignore = () => undefined;
  client.on('error', ignore);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', ignore);
    client.release();
  }
}
