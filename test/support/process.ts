import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';

const ROOT = path.resolve(__dirname, '..', '..');
const START_TIMEOUT_MS = 30_000;

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  http: ReturnType<typeof request>;
  output: string[];
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
}

/** The real service as its own single process (`node --import tsx src/main.ts`), for tests that kill or signal it. */
export async function spawnService(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output.join('')}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const m = /"port":(\d+).*linli is listening/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code}) before listening:\n${output.join('')}`));
    });
  });
  return { child, port, http: request(`http://127.0.0.1:${port}`), output, exited };
}
