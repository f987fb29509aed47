/**
 * Load over HTTP with Node's own client: a keep-alive agent and N clients, each sending its next request as soon
 * as the previous answer arrives (closed loop, like autocannon -c N).
 */
import http from 'node:http';
import { nowMs } from './stats.js';

export interface HttpAnswer {
  status: number;
  ms: number;
}

/**
 * POST a JSON body and read the whole answer.
 * @example await postJson(agent, 'http://127.0.0.1:3000/sim/messages', { from: 'br-1', text: '进度' }) // { status: 202, ms: 1.4 }
 */
export function postJson(agent: http.Agent, url: string, body: unknown): Promise<HttpAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  const started = nowMs();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: nowMs() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export interface LoadResult {
  requests: number;
  /** Answers other than `expectStatus`, and failed connections. */
  errors: number;
  seconds: number;
  perSecond: number;
  latenciesMs: number[];
}

/**
 * Keep `clients` requests in flight for `durationMs` (after `warmupMs` not counted) and count the answers.
 * `bodyFor(k)` gives the k-th request's body.
 */
export async function runClosedLoop(opts: {
  url: string;
  clients: number;
  warmupMs: number;
  durationMs: number;
  expectStatus: number;
  bodyFor: (k: number) => unknown;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients });
  let k = 0;
  const measureFrom = nowMs() + opts.warmupMs;
  const until = measureFrom + opts.durationMs;
  const latenciesMs: number[] = [];
  let errors = 0;
  const client = async () => {
    while (nowMs() < until) {
      const answer = await postJson(agent, opts.url, opts.bodyFor(k++)).catch(() => null);
      const doneAt = nowMs();
      // Only answers that arrive inside the window count, so the rate is answers per second of the window.
      if (doneAt < measureFrom || doneAt > until) continue;
      if (!answer || answer.status !== opts.expectStatus) errors += 1;
      else latenciesMs.push(answer.ms);
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, client));
  agent.destroy();
  const seconds = opts.durationMs / 1000;
  return { requests: latenciesMs.length, errors, seconds, perSecond: latenciesMs.length / seconds, latenciesMs };
}
