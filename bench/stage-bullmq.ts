/**
 * Stage 1, the floor everything else is compared with: BullMQ alone on this Redis, with the service's job options
 * and a processor that does nothing. Add→complete latency at a steady rate, and how fast a backlog drains.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { nowMs, sleep, summarize, waitFor, type Summary } from './stats.js';

const STEADY_RATE_PER_S = 200;
const STEADY_WARMUP_S = 2;
const STEADY_S = 10;
const DRAIN_JOBS = 20_000;
const CONCURRENCY = 10;
const ADD_BULK_CHUNK = 1000;
const COMPLETE_TIMEOUT_MS = 60_000;
/** The options every service queue uses (src/jobs/workers.ts): finished jobs are removed. */
const JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 } as const;

export interface BullmqResult {
  steady: Summary & { ratePerS: number; missing: number };
  drain: { jobs: number; ms: number; perSecond: number };
}

export async function measureBullmq(redisUrl: string, prefix: string): Promise<BullmqResult> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  try {
    return { steady: await measureSteady(connection, prefix), drain: await measureDrain(connection, prefix) };
  } finally {
    connection.disconnect();
  }
}

/** Open loop: job k is added at start + k / rate whatever happened to the previous ones. */
async function measureSteady(connection: Redis, prefix: string): Promise<BullmqResult['steady']> {
  const queue = new Queue('bench-steady', { connection, prefix, defaultJobOptions: JOB_OPTIONS });
  const addedAt = new Map<number, number>();
  const latencies: number[] = [];
  const warmupJobs = STEADY_WARMUP_S * STEADY_RATE_PER_S;
  const total = warmupJobs + STEADY_S * STEADY_RATE_PER_S;
  let completed = 0;
  const worker = new Worker<{ k: number }>('bench-steady', async () => undefined, { connection, prefix, concurrency: CONCURRENCY });
  worker.on('completed', (job: Job<{ k: number }>) => {
    const doneAt = nowMs();
    completed += 1;
    const at = addedAt.get(job.data.k);
    if (at !== undefined && job.data.k >= warmupJobs) latencies.push(doneAt - at);
  });
  await worker.waitUntilReady();
  const intervalMs = 1000 / STEADY_RATE_PER_S;
  const start = nowMs();
  const adds: Promise<unknown>[] = [];
  for (let k = 0; k < total; k++) {
    const due = start + k * intervalMs;
    const wait = due - nowMs();
    if (wait > 1) await sleep(wait);
    addedAt.set(k, nowMs());
    adds.push(queue.add('noop', { k }));
  }
  await Promise.all(adds);
  await waitFor(() => completed >= total, COMPLETE_TIMEOUT_MS);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { ...summarize(latencies), ratePerS: STEADY_RATE_PER_S, missing: total - completed };
}

/** A backlog added first, then one worker at concurrency 10 started: jobs per second until the queue is empty. */
async function measureDrain(connection: Redis, prefix: string): Promise<BullmqResult['drain']> {
  const queue = new Queue('bench-drain', { connection, prefix, defaultJobOptions: JOB_OPTIONS });
  for (let k = 0; k < DRAIN_JOBS; k += ADD_BULK_CHUNK) {
    await queue.addBulk(Array.from({ length: Math.min(ADD_BULK_CHUNK, DRAIN_JOBS - k) }, (_, i) => ({ name: 'noop', data: { k: k + i } })));
  }
  let completed = 0;
  const worker = new Worker('bench-drain', async () => undefined, { connection, prefix, concurrency: CONCURRENCY, autorun: false });
  worker.on('completed', () => (completed += 1));
  await worker.waitUntilReady();
  const started = nowMs();
  void worker.run();
  await waitFor(() => completed >= DRAIN_JOBS, COMPLETE_TIMEOUT_MS, 5);
  const ms = nowMs() - started;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { jobs: completed, ms, perSecond: (completed / ms) * 1000 };
}
