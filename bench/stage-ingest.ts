/**
 * Stage 3: an inbound chat message over HTTP → stored and enqueued (202), with 50 clients, against a Koa
 * hello-world served the same way (its own process, same client) in the same run. The only HTTP entry for chat
 * today is the simulator's POST /sim/messages: there is no signed platform webhook yet, so this is the closest
 * thing and checks no signature. Measured twice: with the inbound queue paused (exactly "stored and enqueued"),
 * and with the service's inbound worker answering the messages meanwhile, as it would in production. The backlog
 * is answered before the next stage.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { INBOUND_QUEUE } from '../src/chat/inbound.js';
import type { ChildHandle } from './child-process.js';
import { runClosedLoop, type LoadResult } from './http-load.js';
import { busySince, markCpu } from './machine-cpu.js';
import type { ChildUsage } from './service-process.js';
import { nowMs, summarize, waitFor, type Summary } from './stats.js';
import { RESIDENTS } from './synthetic-city.js';

const CLIENTS = 50;
const WARMUP_MS = 1_500;
const MEASURE_MS = 6_000;
const DRAIN_TIMEOUT_MS = 120_000;
/** 「进度」: an ordinary message the bot answers (a resident asking about their orders). */
const TEXT = '进度';

export interface IngestRun {
  perSecond: number;
  requests: number;
  errors: number;
  latency: Summary;
  /** Share of one core the serving process used during the run. */
  cpuShare: number;
  /** Share of all cores busy during the run (server, PostgreSQL, Redis and the load generator). */
  machineBusy: number;
}

export interface IngestResult {
  hello: IngestRun;
  /** Inbound queue paused: HTTP → stored → enqueued, nothing else running. */
  ingest: IngestRun;
  /** The inbound worker answers the messages while they arrive. */
  ingestWhileAnswering: IngestRun;
  ratio: number;
  ratioWhileAnswering: number;
  clients: number;
  /** How long the inbound worker took to answer the backlog after the measurements. */
  drainMs: number;
  drained: boolean;
}

type Served = { port: number; usage: () => Promise<ChildUsage> };

export async function measureIngest(deps: { service: Served; startHello: () => Promise<ChildHandle>; redisUrl: string; prefix: string }): Promise<IngestResult> {
  const hello = await deps.startHello();
  let helloRun: IngestRun;
  try {
    helloRun = await measureRun(hello, '/', 200);
  } finally {
    await hello.stop();
  }
  const connection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
  const inbound = new Queue(INBOUND_QUEUE, { connection, prefix: deps.prefix });
  try {
    const whileAnswering = await measureRun(deps.service, '/sim/messages', 202);
    // A paused queue still takes jobs; the service's worker just does not fetch them until it is resumed.
    await inbound.pause();
    const ingest = await measureRun(deps.service, '/sim/messages', 202).finally(() => inbound.resume());
    const drainStarted = nowMs();
    const drained = await waitForEmptyInbound(deps.redisUrl, deps.prefix);
    return {
      hello: helloRun,
      ingest,
      ingestWhileAnswering: whileAnswering,
      ratio: ingest.perSecond / helloRun.perSecond,
      ratioWhileAnswering: whileAnswering.perSecond / helloRun.perSecond,
      clients: CLIENTS,
      drainMs: nowMs() - drainStarted,
      drained,
    };
  } finally {
    await inbound.close();
    connection.disconnect();
  }
}

async function measureRun(target: Served, pathname: string, expectStatus: number): Promise<IngestRun> {
  const before = await target.usage();
  const startedAt = nowMs();
  const cpu = markCpu();
  const run: LoadResult = await runClosedLoop({
    url: `http://127.0.0.1:${target.port}${pathname}`,
    clients: CLIENTS,
    warmupMs: WARMUP_MS,
    durationMs: MEASURE_MS,
    expectStatus,
    bodyFor: (k) => ({ from: `br-${1 + (k % RESIDENTS)}`, text: TEXT }),
  });
  const machineBusy = busySince(cpu);
  const after = await target.usage();
  return {
    machineBusy, perSecond: run.perSecond, requests: run.requests, errors: run.errors, latency: summarize(run.latenciesMs), cpuShare: (after.cpuMs - before.cpuMs) / (nowMs() - startedAt) };
}

/** Wait until the service's inbound queue has nothing waiting or running, so the next stage starts quiet. */
export async function waitForEmptyInbound(redisUrl: string, prefix: string): Promise<boolean> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(INBOUND_QUEUE, { connection, prefix });
  try {
    return await waitFor(async () => Object.values(await queue.getJobCounts('waiting', 'active', 'prioritized')).every((n) => n === 0), DRAIN_TIMEOUT_MS, 200);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
