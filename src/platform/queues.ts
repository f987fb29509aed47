/** BullMQ plumbing with no rules: queues with shared defaults, workers with shared settings. */
import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import { withTimeout } from './redis.js';

/** Finished jobs are dropped so a job id (a domain key) can be used again for the next round. */
const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: 1000,
} as const;

export interface QueueContext {
  connection: ConnectionOptions;
  prefix: string;
  log: Logger;
}

/**
 * A queue with the service's defaults: five attempts with exponential backoff, finished jobs dropped.
 * @example const q = createQueue(ctx, 'orders'); await q.add('dispatch', { orderId }, { jobId: `dispatch-${orderId}` });
 */
export function createQueue(ctx: QueueContext, name: string): Queue {
  const queue = new Queue(name, { connection: ctx.connection, prefix: ctx.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  queue.on('error', (err) => ctx.log.warn({ err: err.message, queue: name }, 'queue connection error'));
  return queue;
}

/** A feature's worker: which queue, how many at once, and the processor. */
export interface WorkerSpec {
  queue: string;
  concurrency: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each queue carries its own job data
  process: (job: Job<any>) => Promise<unknown>;
}

/** How long adding a job may wait for Redis; past it the caller leaves the work to a sweep. */
export const ADD_TIMEOUT_MS = 2000;

/**
 * Add a job, or fail within `ADD_TIMEOUT_MS`: with Redis away, ioredis would otherwise wait for it for ever,
 * holding whatever the caller holds (a database transaction, on PGlite the only connection).
 * @example await addWithin(queue, 'escalate', { orderId }, { jobId: `escalate-${orderId}-4`, delay })
 */
export function addWithin(queue: Queue, name: string, data: unknown, opts: JobsOptions): Promise<unknown> {
  return withTimeout(queue.add(name, data, opts), ADD_TIMEOUT_MS, () => new Error(`queue ${queue.name} did not answer within ${ADD_TIMEOUT_MS} ms`));
}

/** A job that can never succeed (unknown name, missing data): fail it now instead of retrying five times. */
export function unrecoverable(message: string): UnrecoverableError {
  return new UnrecoverableError(message);
}

export function startWorker(spec: WorkerSpec, opts: QueueContext & { lockMs: number }): Worker {
  const worker = new Worker(spec.queue, spec.process, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: spec.concurrency,
    lockDuration: opts.lockMs,
    stalledInterval: opts.lockMs,
  });
  worker.on('failed', (job, err) => opts.log.warn({ err, queue: spec.queue, jobId: job?.id, attempts: job?.attemptsMade }, 'job failed'));
  worker.on('error', (err) => opts.log.warn({ err: err.message, queue: spec.queue }, 'worker error'));
  return worker;
}
