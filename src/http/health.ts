import type Router from '@koa/router';
import type { Redis } from 'ioredis';
import type { Db } from '../platform/db.js';
import { withTimeout } from '../platform/redis.js';

export interface HealthDeps {
  db: Db;
  redis: Redis;
}

/** A health check answers promptly even when a backing service hangs. */
const PING_TIMEOUT_MS = 1000;

/** GET /healthz: 200 when the database and Redis answer, 503 otherwise. */
export function registerHealthRoutes(router: Router, deps: HealthDeps): void {
  router.get('/healthz', async (ctx) => {
    const [db, redis] = await Promise.all([
      deps.db.query('SELECT 1').then(() => 'ok', () => 'down'),
      deps.redis.status === 'ready' ? withTimeout(deps.redis.ping(), PING_TIMEOUT_MS, () => new Error('Redis ping timed out')).then(() => 'ok', () => 'down') : Promise.resolve('down'),
    ]);
    ctx.status = db === 'ok' && redis === 'ok' ? 200 : 503;
    ctx.body = { status: ctx.status === 200 ? 'ok' : 'degraded', db, redis };
  });
}
