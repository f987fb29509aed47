import { Redis } from 'ioredis';
import pino from 'pino';
import { createRedisRunCoordinator, scheduleCheckinTick } from '../../src/checkins/cron';

const prefix = `t-cron-${process.pid}`;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  await redis.ping(); // the coordinator elects nobody until Redis is connected
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

test('the Redis coordinator elects one runner per key', async () => {
  const coordinator = createRedisRunCoordinator(redis, prefix);
  const votes = await Promise.all([1, 2, 3].map(async () => coordinator.shouldRun('checkins:2026-06-04T08:30', 60_000)));
  expect(votes.filter(Boolean)).toHaveLength(1);
  expect(await coordinator.shouldRun('checkins:2026-06-04T08:31', 60_000)).toBe(true);
});

test('the tick runs every minute on the Shanghai clock, once across replicas', async () => {
  jest.useFakeTimers({ now: new Date('2026-06-04T00:29:30Z'), doNotFake: ['nextTick', 'setImmediate'] });
  const ticks: number[] = [];
  const always = { shouldRun: () => true };
  let elected = 0;
  const once = { shouldRun: () => elected++ % 2 === 0 }; // two replicas asking in turn, one wins each minute
  const log = pino({ level: 'silent' });
  const a = scheduleCheckinTick(async () => void ticks.push(Date.now()), always, log);
  const b = scheduleCheckinTick(async () => void ticks.push(-Date.now()), once, log);
  const c = scheduleCheckinTick(async () => void ticks.push(-Date.now()), once, log);
  try {
    await jest.advanceTimersByTimeAsync(2 * 60_000);
    const runs = ticks.filter((t) => t > 0);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Date(runs[0]!).toISOString()).toBe('2026-06-04T00:30:00.000Z'); // 08:30 in Shanghai
    expect(ticks.filter((t) => t < 0)).toHaveLength(runs.length); // b and c together ran once a minute
  } finally {
    await Promise.all([a.destroy(), b.destroy(), c.destroy()]);
    jest.useRealTimers();
  }
});
