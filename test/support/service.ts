import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import request from 'supertest';
import { readConfig, type Config } from '../../src/config';
import { startService, type Service, type StartOptions } from '../../src/main';

export interface TestService {
  service: Service;
  config: Config;
  http: ReturnType<typeof request>;
  logs: string[];
  stop(): Promise<void>;
}

/** One isolated world per test file: its own database schema (or PGlite directory) and Redis prefix. */
export function testWorld(name: string): { env: Record<string, string>; cleanup(): Promise<void> } {
  const id = `${name}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `linli-${name}-`));
  const url = process.env.TEST_DATABASE_URL;
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `t-${id}`,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_AUTOSTART: 'false',
    QUIET_HOURS: '00:00-00:00',
    ...(url ? { DATABASE_URL: url, DATABASE_SCHEMA: `t_${id}` } : {}),
  };
  return {
    env,
    async cleanup() {
      if (url) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS t_${id} CASCADE`);
        await client.end();
      }
      const redis = new Redis(env.REDIS_URL as string);
      const keys = await redis.keys(`t-${id}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Start the real service (real Redis, BullMQ, database) with test settings; logs are kept to be scanned. */
export async function startTestService(env: Record<string, string>, opts: StartOptions = {}): Promise<TestService> {
  const config = readConfig(env);
  const logs: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const service = await startService(config, { log, ...opts });
  return { service, config, http: request(`http://127.0.0.1:${service.port}`), logs, stop: () => service.stop() };
}
