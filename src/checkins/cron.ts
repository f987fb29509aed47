import type { Redis } from 'ioredis';
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';

/**
 * Why node-cron with a Redis election rather than BullMQ job schedulers: every community can set its own
 * slots, rest days and holidays in the directory, and a minute tick that asks "what is due now?" follows
 * those edits without re-registering schedulers, and catches up after a restart inside a slot's window.
 * The election only spares replicas duplicate work; exactly-once comes from the slot rows in the database.
 */
export function createRedisRunCoordinator(redis: Redis, prefix: string): RunCoordinator {
  return {
    async shouldRun(key, ttlMs) {
      // With Redis away, nobody is elected: the next minute's tick (or a replica's) catches up.
      if (redis.status !== 'ready') return false;
      return (await redis.set(`${prefix}:cron:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
  };
}

/** Look for due check-in slots every minute, Asia/Shanghai time. */
export function scheduleCheckinTick(tick: () => Promise<void>, coordinator: RunCoordinator, log: Logger): ScheduledTask {
  return cron.schedule(
    '* * * * *',
    async () => {
      await tick().catch((err: unknown) => log.error({ err }, 'check-in tick failed'));
    },
    { name: 'checkins', timezone: 'Asia/Shanghai', noOverlap: true, distributed: true, runCoordinator: coordinator },
  );
}
