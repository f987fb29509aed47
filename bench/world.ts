/**
 * The bench's own corner of the shared servers: one database schema and one Redis key prefix, named after the
 * process, removed at the end whatever happened (the orchestrator calls cleanup on failure and on Ctrl-C too).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openDatabase, type Database } from '../src/platform/db.js';

/** Where the bench finds PostgreSQL and Redis; the bench is a tool, not product code, so it reads these itself. */
export interface BenchSettings {
  databaseUrl: string;
  redisUrl: string;
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** The bench's pool: matching runs one query at a time, bulk loading uses a few connections side by side. */
const POOL_SIZE = 6;
const SCAN_BATCH = 1000;
const REDIS_PING_TIMEOUT_MS = 5_000;

export function readBenchSettings(env: Record<string, string | undefined> = process.env): BenchSettings {
  return {
    databaseUrl: env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    redisUrl: env.BENCH_REDIS_URL ?? env.TEST_REDIS_URL ?? DEFAULT_REDIS_URL,
  };
}

export interface World {
  settings: BenchSettings;
  /** Lower-case SQL identifier, also the DATABASE_SCHEMA of the service under test. */
  schema: string;
  /** QUEUE_PREFIX of the service under test and of the raw BullMQ queues. */
  prefix: string;
  /** The database URL tagged with application_name = schema, for the bench and the service it starts. */
  databaseUrl: string;
  dataDir: string;
  database: Database;
  redis: Redis;
  cleanup(): Promise<void>;
}

/** Open the bench's schema (created empty) and a Redis connection; nothing else is touched. */
export async function createWorld(settings: BenchSettings): Promise<World> {
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const schema = `bench_${tag}`;
  const prefix = `bench-${tag}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-'));
  const databaseUrl = tagConnections(settings.databaseUrl, schema);
  const database = await openDatabase({ url: databaseUrl, dataDir, schema, max: POOL_SIZE });
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  await pingRedis(redis, settings.redisUrl).catch(async (err: unknown) => {
    redis.disconnect();
    await database.close();
    await dropSchema(settings.databaseUrl, schema);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  let cleaned: Promise<void> | null = null;
  const cleanup = () =>
    (cleaned ??= (async () => {
      // Each step runs whatever happened to the one before. Dropping first ends the bench's own connections
      // too, so closing the pool never waits on a long statement.
      await attempt(`delete ${prefix}:*`, () => deleteKeys(redis, prefix));
      redis.disconnect();
      await attempt(`drop schema ${schema}`, () => dropSchema(settings.databaseUrl, schema));
      await database.close().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    })());
  return { settings, schema, prefix, databaseUrl, dataDir, database, redis, cleanup };
}

async function attempt(what: string, fn: () => Promise<unknown>): Promise<void> {
  await fn().catch((err: unknown) => process.stderr.write(`cleanup: could not ${what}: ${err instanceof Error ? err.message : String(err)}\n`));
}

/** ioredis would queue commands forever while Redis is down; the bench says so instead. */
async function pingRedis(redis: Redis, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis at ${url} does not answer; start it or set BENCH_REDIS_URL`)), REDIS_PING_TIMEOUT_MS);
  });
  await Promise.race([redis.ping(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Every connection the bench and its service open carries application_name = schema, so cleanup can end a
 * statement still running (Ctrl-C in the middle of generating a million rows) instead of waiting on its locks.
 */
function tagConnections(url: string, schema: string): string {
  const tagged = new URL(url);
  tagged.searchParams.set('application_name', schema);
  return tagged.toString();
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [schema]);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}

/** SCAN, not KEYS: the prefix may hold tens of thousands of keys and Redis is shared. */
async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', SCAN_BATCH);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** The service's whole environment: nothing inherited but PATH and HOME, so every run configures it the same. */
export function serviceEnv(world: World): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATABASE_URL: world.databaseUrl,
    DATABASE_SCHEMA: world.schema,
    DATA_DIR: world.dataDir,
    REDIS_URL: world.settings.redisUrl,
    REDIS_AUTOSTART: 'false',
    QUEUE_PREFIX: world.prefix,
    CHANNELS: 'sim',
    SEED_DEMO: 'false',
  };
}

/** What the figures were measured on. */
export async function describeMachine(world: World): Promise<{ cpus: number; memoryMb: number; node: string; postgres: string; redis: string }> {
  const { rows } = await world.database.db.query<{ server_version: string }>('SHOW server_version');
  const info = await world.redis.info('server');
  return {
    cpus: os.cpus().length,
    memoryMb: Math.round(os.totalmem() / (1024 * 1024)),
    node: process.version,
    postgres: rows[0]?.server_version ?? '?',
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? '?',
  };
}
