/**
 * Work that is written to the database first and handed to a queue after (an inbound message, an order's
 * effects, a delivery) is lost to the queue if the process dies in between or Redis is away. A sweeper
 * finds such rows and hands them over again, at start-up and on a timer; job ids keep this idempotent.
 */
import type { Logger } from 'pino';

export interface Sweep {
  name: string;
  /**
   * Hand every stranded row to its queue again; returns how many. `atStartup`: take everything pending,
   * however fresh (nothing of this process is in flight yet; anything another replica is doing is safe to repeat).
   */
  run(atStartup: boolean): Promise<number>;
}

/**
 * Run every sweep now and then every `intervalMs`, one pass at a time. A pass that fails (Redis or the
 * database away) is logged and tried again on the next tick.
 * @example const sweeper = startSweeper([inbound.sweep], 5000, log); await sweeper.stop();
 */
export function startSweeper(sweeps: readonly Sweep[], intervalMs: number, log: Logger) {
  let running: Promise<void> | null = null;
  let first = true;
  const pass = () =>
    (running ??= (async () => {
      const atStartup = first;
      first = false;
      for (const sweep of sweeps) {
        const n = await sweep.run(atStartup).catch((err: unknown) => {
          log.warn({ err, sweep: sweep.name }, 'sweep failed; trying again later');
          return 0;
        });
        if (n > 0) log.info({ sweep: sweep.name, requeued: n }, 'requeued stranded work');
      }
    })().finally(() => (running = null)));
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  return {
    /** Sweep now (e.g. when Redis is back). */
    now: pass,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
