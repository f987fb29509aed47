import { RedisSetupError } from '../../src/platform/redis';
import { startRedisServer } from '../support/redis-server';
import { startTestService, testWorld } from '../support/service';
import { eventually, simClient } from '../support/sim';

// Redis restarted under load, and a Redis that may evict keys: on a private redis-server, never the shared one.
const world = testWorld('redisoutage');
afterAll(() => world.cleanup());

/** Longest a request may take to be refused while Redis is down (the service fails fast, it does not hang). */
const FAIL_FAST_MS = 3000;

test('during a Redis outage messages fail fast with 503; afterwards the same workers go on and resent messages are answered', async () => {
  let redis = await startRedisServer();
  const t = await startTestService({ ...world.env, REDIS_URL: redis.url });
  try {
    const sim = simClient(t);
    await sim.say('v-li', '帮助');
    await sim.next('v-li', '接单');

    await redis.stop();
    const started = Date.now();
    const refused = await t.http.post('/sim/messages').send({ from: 'v-zhang', text: '帮助', messageId: 'outage-1' });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(FAIL_FAST_MS);
    expect((await t.http.get('/healthz')).status).toBe(503);

    redis = await startRedisServer([], redis.port);
    await eventually(async () => (await t.http.get('/healthz')).status === 200, 20_000, 'the service to see Redis again');
    await eventually(async () => (await t.http.post('/sim/messages').send({ from: 'v-zhang', text: '帮助', messageId: 'outage-1' })).status === 202, 10_000, 'the resend to be accepted');
    await sim.next('v-zhang', '派单', 20_000);
  } finally {
    await t.stop();
    await redis.stop();
  }
});

test('the service refuses to start on a Redis that may evict keys, and says how to fix it', async () => {
  const redis = await startRedisServer(['--maxmemory-policy', 'allkeys-lru']);
  try {
    const error = await startTestService({ ...world.env, REDIS_URL: redis.url }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RedisSetupError);
    expect((error as Error).message).toMatch(/noeviction/);
    expect((error as Error).message).toMatch(/CONFIG SET maxmemory-policy noeviction/);
  } finally {
    await redis.stop();
  }
});
