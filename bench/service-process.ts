/**
 * The process under test, forked by the bench so its memory and CPU are its own: `service` starts linli exactly
 * as `npm start` does (readConfig → startService, settings from the environment the bench passes), `hello` a Koa
 * hello-world for the ingest baseline. It answers `{ type: 'usage' }` (RSS, CPU time) and stops on `{ type: 'stop' }` or when the
 * bench goes away.
 */
import type { Server } from 'node:http';
import Koa from 'koa';
import { readConfig } from '../src/config.js';
import { startService } from '../src/main.js';

export type ToChild = { type: 'usage' } | { type: 'stop' };
export type FromChild = { type: 'ready'; port: number } | { type: 'usage'; usage: ChildUsage } | { type: 'error'; message: string };
export interface ChildUsage {
  /** Resident set size, bytes. */
  rss: number;
  /** CPU time used since start (user + system), ms. */
  cpuMs: number;
}

function send(message: FromChild): void {
  process.send?.(message);
}

async function startHello(): Promise<{ port: number; stop(): Promise<void> }> {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = 'Hello World';
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const running = mode === 'hello' ? await startHello() : await startService(readConfig());
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('message', (message: ToChild) => {
    if (message.type === 'usage') {
      const cpu = process.cpuUsage();
      send({ type: 'usage', usage: { rss: process.memoryUsage().rss, cpuMs: (cpu.user + cpu.system) / 1000 } });
    }
    if (message.type === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  // Ctrl-C reaches the whole process group; the bench decides when this process stops, after its last query.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void stop());
  send({ type: 'ready', port: running.port });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
