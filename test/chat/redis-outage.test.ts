import { RedisSetupError } from '../../src/platform/redis';
import { untilDrained } from '../support/queues';
import { startRedisServer } from '../support/redis-server';
import { startTestService, testWorld } from '../support/service';
import { eventually, simClient } from '../support/sim';

// Redis restarted under load, and a Redis that may evict keys: on a private redis-server, never the shared one.
const world = testWorld('redisoutage');
afterAll(() => world.cleanup());

/** Longest a request may take while Redis is down (the service stores the message; it does not hang). */
const FAIL_FAST_MS = 3000;

test('during a Redis outage messages are stored and answered once Redis is back, without a resend; a resend is not a second message', async () => {
  let redis = await startRedisServer();
  const t = await startTestService({ ...world.env, REDIS_URL: redis.url });
  try {
    const sim = simClient(t);
    await sim.say('v-li', '帮助');
    await sim.next('v-li', '接单');

    await redis.stop();
    const started = Date.now();
    const accepted = await t.http.post('/sim/messages').send({ from: 'v-zhang', text: '帮助', messageId: 'outage-1' });
    expect(accepted.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(FAIL_FAST_MS);
    expect((await t.http.get('/healthz')).status).toBe(503);

    redis = await startRedisServer([], redis.port);
    await eventually(async () => (await t.http.get('/healthz')).status === 200, 20_000, 'the service to see Redis again');
    await sim.next('v-zhang', '派单', 20_000);
    const resent = await t.http.post('/sim/messages').send({ from: 'v-zhang', text: '帮助', messageId: 'outage-1' });
    expect(resent.body.id).toBe(accepted.body.id);
    await untilDrained(t.config, ['inbound']); // the resend has been handled: a second reply would be there
    expect((await sim.all('v-zhang')).filter((m) => m.text.includes('派单'))).toHaveLength(1);
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
