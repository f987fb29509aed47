import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Channel } from '../channels/channel.js';
import { resumeEffects, type OrderEvent } from '../domain/order-machine.js';
import type { Db } from '../store/db.js';
import { identitiesOf } from '../store/directory.js';
import { getOutbound } from '../store/messages.js';
import { applyOrderEvent, carryOut, type OrderDeps } from './order-actions.js';

export const QUEUE_NAMES = { inbound: 'inbound', orders: 'orders', deliveries: 'deliveries', checkins: 'checkins' } as const;

/** Finished jobs are dropped so a job id (a domain key) can be used again for the next round. */
const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: 1000,
} as const;

export function createQueues(connection: ConnectionOptions, prefix: string, log: Logger) {
  const make = (name: string) => {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    queue.on('error', (err) => log.warn({ err: err.message, queue: name }, 'queue connection error'));
    return queue;
  };
  return { inbound: make(QUEUE_NAMES.inbound), orders: make(QUEUE_NAMES.orders), deliveries: make(QUEUE_NAMES.deliveries), checkins: make(QUEUE_NAMES.checkins) };
}
export type Queues = ReturnType<typeof createQueues>;

/** A new order is inserted at version 0; its first offer makes it 1. */
const FIRST_OFFER_VERSION = 1;

/** The orders queue: dispatch a new order, escalate an unclaimed one, auto-confirm a silent resident. */
export function createOrderProcessor(deps: OrderDeps) {
  return async (job: Job<{ orderId: string; level?: 1 | 2 | 3; atVersion?: number }>): Promise<string> => {
    const { orderId } = job.data;
    let event: OrderEvent;
    if (job.name === 'dispatch') event = { type: 'offer' };
    else if (job.name === 'escalate') event = { type: 'escalate', level: job.data.level ?? 1, atVersion: job.data.atVersion };
    else if (job.name === 'auto_confirm') event = { type: 'auto_confirm' };
    else throw new Error(`Unknown order job ${job.name}`);
    const result = await applyOrderEvent(deps, orderId, event, { id: null, channel: 'system' });
    if (result.ok) return result.order.status;
    // This job's own transition is saved but the order has not moved since: the previous attempt died
    // before carrying it out (a killed worker's stalled job), so carry it out now.
    const ownVersion = job.name === 'dispatch' ? FIRST_OFFER_VERSION : job.name === 'escalate' ? (job.data.atVersion ?? NaN) + 1 : NaN;
    if (result.order && result.order.version === ownVersion) {
      await carryOut(deps, result.order, resumeEffects(result.order, deps.rules));
      return `resumed: ${result.order.status}`;
    }
    // Otherwise the order moved on (claimed, cancelled, …): nothing left to do.
    return `skipped: ${result.reason}`;
  };
}

/** The deliveries queue: send one outbox message through one platform channel, with retries. */
export function createDeliveryProcessor(deps: { db: Db; channels: Map<string, Channel>; log: Logger }) {
  return async (job: Job<{ messageId: string; channel: string }>): Promise<void> => {
    const channel = deps.channels.get(job.data.channel);
    const m = await getOutbound(deps.db, job.data.messageId);
    if (!channel || !m) return;
    const kind = m.roomId ? 'room' : 'person';
    const target = (await identitiesOf(deps.db, kind, [(m.roomId ?? m.personId) as string])).find((i) => i.channel === channel.name);
    if (!target) return;
    const mentions = (await identitiesOf(deps.db, 'person', m.mentions)).filter((i) => i.channel === channel.name).map((i) => i.externalId);
    await channel.send({ to: { kind, id: target.externalId }, text: m.text, mentions });
  };
}

export function startWorker<T>(
  name: string,
  processor: (job: Job<T>) => Promise<unknown>,
  opts: { connection: ConnectionOptions; prefix: string; concurrency: number; lockMs: number; log: Logger },
): Worker<T> {
  const worker = new Worker<T>(name, processor, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency,
    lockDuration: opts.lockMs,
    stalledInterval: opts.lockMs,
  });
  worker.on('failed', (job, err) => opts.log.warn({ err, queue: name, jobId: job?.id, attempts: job?.attemptsMade }, 'job failed'));
  worker.on('error', (err) => opts.log.warn({ err: err.message, queue: name }, 'worker error'));
  return worker;
}
