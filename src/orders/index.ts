/**
 * Orders (点单 → 派单 → 接单 → 评单): a feature room. Other features meet it here.
 */
import path from 'node:path';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Notifier } from '../chat/index.js';
import type { CatalogueEntry, Person } from '../directory/index.js';
import type { Db } from '../platform/db.js';
import type { MigrationSource } from '../platform/migrate.js';
import type { WorkerSpec } from '../platform/queues.js';
import type { Sweep } from '../platform/sweeper.js';
import { createOrdersChat } from './chat.js';
import { createDispatcher } from './dispatch.js';
import { withCatalogueWords } from './domain/intake/index.js';
import { DEFAULT_ORDER_RULES } from './domain/order-machine.js';
import type { OrderSettings } from './domain/settings.js';
import { createEffectsSweep, EFFECTS_QUEUE } from './effects.js';
import { createOrderSlots, createSubmitOrder, orderForNeed, type IntakeDeps } from './intake.js';
import { createEffectsProcessor, createOrderProcessor, ORDERS_QUEUE } from './jobs.js';
import { registerOrderRoutes } from './routes.js';
import { createSettingsReader } from './service.js';

export { applyOrderEvent, processEffects } from './effects.js';
export { commitOrderEvent } from './service.js';
export { readOrderSettings, type OrderSettings } from './domain/settings.js';
export type { Order } from './domain/types.js';

export const ordersMigrations: MigrationSource = { feature: 'orders', dir: path.join(__dirname, 'migrations') };

export interface OrdersConfig extends OrderSettings {
  autoConfirmHours: number;
  serviceCircleM: number;
  offerTopN: number;
}

export interface OrdersFeatureDeps {
  db: Db;
  notifier: Notifier;
  queue: (name: string) => Queue;
  queueReady: () => boolean;
  catalogue: CatalogueEntry[];
  config: OrdersConfig;
  log: Logger;
  now: () => Date;
}

/** Everything the order code needs, built once from the feature's dependencies. */
export function createOrderDeps(d: OrdersFeatureDeps): IntakeDeps {
  return {
    db: d.db,
    notifier: d.notifier,
    orderQueue: d.queue(ORDERS_QUEUE),
    effectsQueue: d.queue(EFFECTS_QUEUE),
    catalogue: d.catalogue,
    rules: { ...DEFAULT_ORDER_RULES, escalationMinutes: d.config.escalationMinutes, autoConfirmHours: d.config.autoConfirmHours },
    settingsOf: createSettingsReader({ escalationMinutes: d.config.escalationMinutes, quietHours: d.config.quietHours }),
    log: d.log.child({ feature: 'orders' }),
    now: d.now,
    dispatcher: createDispatcher({ db: d.db, catalogue: d.catalogue, circleRadiusM: d.config.serviceCircleM, topN: d.config.offerTopN }),
    terms: withCatalogueWords(d.catalogue),
  };
}

export function createOrdersFeature(d: OrdersFeatureDeps) {
  const deps = createOrderDeps(d);
  const workers: WorkerSpec[] = [
    { queue: ORDERS_QUEUE, concurrency: 4, process: createOrderProcessor(deps) },
    { queue: EFFECTS_QUEUE, concurrency: 4, process: createEffectsProcessor(deps) },
  ];
  const sweeps: Sweep[] = [createEffectsSweep({ ...deps, queueReady: d.queueReady })];
  return {
    name: 'orders',
    flows: path.join(__dirname, 'flows'),
    slots: createOrderSlots(deps),
    actions: { submit_order: createSubmitOrder(deps) },
    chat: createOrdersChat(deps),
    routes: (router: Parameters<typeof registerOrderRoutes>[0]) => registerOrderRoutes(router, deps),
    workers,
    sweeps,
    /** For other features: 转单 places an order for a need on the resident's behalf. */
    api: {
      orderForNeed: (worker: Person, communityId: string, text: string, gridId: string | null) => orderForNeed(deps, worker, communityId, text, gridId),
    },
  };
}

export type OrdersFeature = ReturnType<typeof createOrdersFeature>;
