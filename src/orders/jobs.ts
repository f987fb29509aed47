/** The orders queues: dispatch a new order, escalate an unclaimed one, auto-confirm a silent resident; retry effects. */
import type { Job } from 'bullmq';
import { unrecoverable } from '../platform/queues.js';
import type { OrderEvent } from './domain/order-machine.js';
import { applyOrderEvent, processEffects } from './effects.js';
import type { OrderDeps } from './service.js';

export const ORDERS_QUEUE = 'orders';

type OrderJob = Job<{ orderId: string; level?: 1 | 2 | 3; atVersion?: number }>;

/** Each job is one event; a refused one (the order moved on: claimed, cancelled, already escalated) is done. */
export function createOrderProcessor(deps: OrderDeps) {
  return async (job: OrderJob): Promise<string> => {
    const { orderId } = job.data;
    let event: OrderEvent;
    if (job.name === 'dispatch') event = { type: 'offer' };
    else if (job.name === 'escalate') event = { type: 'escalate', level: job.data.level ?? 1, atVersion: job.data.atVersion };
    else if (job.name === 'auto_confirm') event = { type: 'auto_confirm' };
    else throw unrecoverable(`Unknown order job ${job.name}`);
    const result = await applyOrderEvent(deps, orderId, event, { id: null, channel: 'system' });
    return result.ok ? result.order.status : `skipped: ${result.reason}`;
  };
}

/** The effects queue: carry out an order's pending effects (a retry after a failure, or the sweep). */
export function createEffectsProcessor(deps: OrderDeps) {
  return async (job: Job<{ orderId: string }>): Promise<number> => processEffects(deps, job.data.orderId);
}
