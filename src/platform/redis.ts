import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { maskSecrets } from './startup.js';

export class RedisSetupError extends Error {
  readonly code = 'redis_setup';
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const START_WAIT_MS = 5000;

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * Make sure Redis answers at `url`. When nothing answers on this machine and `redis-server` is on the
 * PATH, start one that keeps its data under `dataDir`; otherwise say how to install it.
 */
export async function ensureRedis(url: string, opts: { autostart: boolean; dataDir: string; log: { info: (o: object, m: string) => void } }): Promise<void> {
  if (await answers(url)) return;
  const target = new URL(url);
  if (!opts.autostart || !LOCAL_HOSTS.has(target.hostname)) {
    throw new RedisSetupError(`Redis does not answer at ${maskSecrets(url)}. Start it, or set REDIS_URL to one that answers.`);
  }
  if (spawnSync('redis-server', ['--version']).error) {
    throw new RedisSetupError('Redis is not installed: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) and run npm start again.');
  }
  const dir = path.resolve(opts.dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const port = target.port || '6379';
  opts.log.info({ port, dir }, 'starting redis-server');
  const child = spawn(
    'redis-server',
    ['--port', port, '--bind', target.hostname === 'localhost' ? '127.0.0.1' : target.hostname, '--dir', dir, '--appendonly', 'yes',
      '--maxmemory-policy', 'noeviction', '--daemonize', 'yes', '--logfile', path.join(dir, 'redis.log')],
    { stdio: 'ignore', detached: true },
  );
  child.unref();
  const deadline = Date.now() + START_WAIT_MS;
  while (Date.now() < deadline) {
    if (await answers(url)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new RedisSetupError(`Started redis-server on port ${port} but it does not answer; see ${path.join(dir, 'redis.log')}.`);
}

/**
 * BullMQ loses jobs silently if Redis evicts keys under memory pressure; refuse to run on such a Redis.
 */
export async function checkEvictionPolicy(redis: Redis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy'));
  const policy = reply[1];
  if (policy && policy !== 'noeviction') {
    throw new RedisSetupError(
      `Redis maxmemory-policy is "${policy}"; queues need "noeviction". Run: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf).`,
    );
  }
}

/** Settle with `promise`, or reject with `onTimeout()` after `ms`: a Redis that stopped answering must not hang a caller. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
