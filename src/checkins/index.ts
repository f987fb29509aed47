/**
 * Twice-daily check-ins (每日两碰头): prompts, answers, nudges, the secretary's summary, and the needs and
 * risk lists they feed. A feature room; other features meet it here.
 */
import path from 'node:path';
import type Router from '@koa/router';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Notifier } from '../chat/index.js';
import type { Db } from '../platform/db.js';
import type { MigrationSource } from '../platform/migrate.js';
import type { WorkerSpec } from '../platform/queues.js';
import { createCheckinChat, type CheckinChatDeps } from './chat.js';
import { createRedisRunCoordinator, scheduleCheckinTick } from './cron.js';
import { registerCheckinRoutes } from './routes.js';
import { createCheckins } from './service.js';

export type { Checkins } from './service.js';
export { SLOT_NAMES, RISK_LEVELS, type SlotName, type Tier, type RiskLevel } from './domain/checkin.js';

export const checkinsMigrations: MigrationSource = { feature: 'checkins', dir: path.join(__dirname, 'migrations') };

const CHECKINS_QUEUE = 'checkins';

export interface CheckinsFeatureDeps {
  db: Db;
  redis: Redis;
  notifier: Notifier;
  queue: (name: string) => Queue;
  log: Logger;
  now: () => Date;
  prefix: string;
  config: { schedule: boolean; nudgeMinutes: number; summaryMinutes: number };
  orders: Pick<CheckinChatDeps, 'orderForNeed'>;
}

export function createCheckinsFeature(d: CheckinsFeatureDeps) {
  const log = d.log.child({ feature: 'checkins' });
  const checkins = createCheckins({ db: d.db, notifier: d.notifier, queue: d.queue(CHECKINS_QUEUE), log, now: d.now, ...d.config });
  let task: ReturnType<typeof scheduleCheckinTick> | null = null;
  const workers: WorkerSpec[] = [{ queue: CHECKINS_QUEUE, concurrency: 2, process: checkins.process }];
  return {
    name: 'checkins',
    checkins,
    chat: createCheckinChat({ db: d.db, notifier: d.notifier, now: d.now, orderForNeed: d.orders.orderForNeed }),
    routes: (router: Router) => registerCheckinRoutes(router, { db: d.db, checkins, now: d.now }),
    workers,
    /** Look for due slots every minute, and at once: a restart inside a slot's window catches up. */
    async start() {
      if (!d.config.schedule) return;
      task = scheduleCheckinTick(() => checkins.tick(d.now()), createRedisRunCoordinator(d.redis, d.prefix), log);
      await checkins.tick(d.now());
    },
    async stop() {
      await task?.destroy();
    },
  };
}
