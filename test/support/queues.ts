import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { eventually } from './sim';

/** The service's BullMQ queues. */
export type QueueName = 'inbound' | 'orders' | 'order-effects' | 'deliveries' | 'checkins';

/** Jobs not finished yet: queued, running, or delayed (a timer, or a retry waiting out its backoff). */
const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized'] as const;

/**
 * Wait until the named queues hold no unfinished job (or none that `which` selects). A test that proves
 * nothing more happens (no duplicate, no late escalation) asserts after this instead of after a guessed
 * pause. A job of a killed worker stays active until a live worker takes it over and finishes it, so it
 * is waited for too.
 * @example await untilDrained(t.config, ['checkins']);
 * @example await untilDrained(t.config, ['orders'], (job) => job.data.orderId === id);
 */
export async function untilDrained(
  where: { redisUrl: string; queuePrefix: string },
  names: readonly QueueName[],
  which?: (job: Job) => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const redis = new Redis(where.redisUrl, { maxRetriesPerRequest: null });
  const queues = names.map((name) => new Queue(name, { connection: redis, prefix: where.queuePrefix }));
  const left = async (queue: Queue) => {
    if (!which) return Object.values(await queue.getJobCounts(...UNFINISHED)).reduce((sum, n) => sum + n, 0);
    return (await queue.getJobs([...UNFINISHED])).filter((job) => job && which(job)).length;
  };
  try {
    await eventually(async () => (await Promise.all(queues.map(left))).every((n) => n === 0), timeoutMs, `the ${names.join(', ')} queue(s) to be drained`);
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    await redis.quit();
  }
}
