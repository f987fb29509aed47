/** The bench's side of bench/service-process.ts: fork, wait until it listens, ask its RSS, stop it. */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildUsage, FromChild, ToChild } from './service-process.js';

export interface ChildHandle {
  port: number;
  pid: number;
  /** The child's resident set size and CPU time so far. */
  usage(): Promise<ChildUsage>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
/** After asking politely (drain workers, close pools), the child is killed. */
const STOP_TIMEOUT_MS = 20_000;
const USAGE_TIMEOUT_MS = 5_000;

/**
 * Fork bench/service-process.ts in `mode` with this environment; its output goes to `logFile`.
 * @example const service = await startChild('service', env, '/tmp/linli-bench.log')
 */
export async function startChild(mode: 'service' | 'hello', env: Record<string, string | undefined>, logFile: string): Promise<ChildHandle> {
  const log = fs.openSync(logFile, 'a');
  // fork keeps this process's execArgv, so the child runs TypeScript through the same tsx loader.
  const child = fork(path.join(__dirname, 'service-process.ts'), [mode], { env, stdio: ['ignore', log, log, 'ipc'] });
  fs.closeSync(log);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} did not start within ${START_TIMEOUT_MS} ms; see ${logFile}`)), START_TIMEOUT_MS);
    const onMessage = (m: FromChild) => {
      if (m.type === 'ready') settle(() => resolve(m.port));
      if (m.type === 'error') settle(() => reject(new Error(`${mode} failed to start: ${m.message} (log: ${logFile})`)));
    };
    const onExit = (code: number | null) => settle(() => reject(new Error(`${mode} exited with ${code} before it was ready; see ${logFile}`)));
    const settle = (fn: () => void) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      fn();
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  }).catch(async (err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return { port, pid: child.pid ?? 0, usage: () => askUsage(child), stop: () => stopChild(child) };
}

function askUsage(child: ChildProcess): Promise<ChildUsage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child did not report its usage')), USAGE_TIMEOUT_MS);
    const onMessage = (m: FromChild) => {
      if (m.type !== 'usage') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m.usage);
    };
    child.on('message', onMessage);
    child.send({ type: 'usage' } satisfies ToChild);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ type: 'stop' } satisfies ToChild);
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
