/**
 * `npm run bench`: every figure of the performance issue in one run, each next to the baseline measured in the
 * same run. Progress goes to stderr, the table to stdout, everything to bench/results.json. The bench works in
 * its own database schema and Redis prefix and removes both at the end, on failure and on Ctrl-C too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { readConfig } from '../src/config.js';
import { loadCatalogue } from '../src/directory/catalogue.js';
import { migrateDatabase } from '../src/main.js';
import { startChild, type ChildHandle } from './child-process.js';
import { formatMb, formatMs, formatRate, formatRatio } from './format.js';
import { growCity } from './grow-city.js';
import { POLL_MS } from './outbox-watcher.js';
import { createProgress } from './progress.js';
import { checkGoals, formatResults, type BenchResults } from './report.js';
import { measureBullmq } from './stage-bullmq.js';
import { measureClaims } from './stage-claims.js';
import { measureDispatch } from './stage-dispatch.js';
import { measureIngest, waitForEmptyInbound } from './stage-ingest.js';
import { measureMatching, type MatchingResult } from './stage-matching.js';
import { sleep } from './stats.js';
import { createCityBase } from './synthetic-city.js';
import { createWorld, describeMachine, readBenchSettings, serviceEnv, type World } from './world.js';

const CITY_SIZES = [10_000, 100_000, 1_000_000] as const;
/** The service runs with this many volunteers in its directory (stages 2, 3, 4 and 6). */
const SERVICE_CITY = 100_000;
/** Let start-up garbage settle before reading the idle RSS. */
const IDLE_SETTLE_MS = 3_000;
const STAGES = 12;
const RESULTS_FILE = path.join(__dirname, 'results.json');
const SERVICE_LOG = path.join(os.tmpdir(), 'linli-bench-service.log');
const INTERRUPTED_EXIT_CODE = 130;

interface Running {
  service: ChildHandle | null;
}

async function main(): Promise<void> {
  const started = Date.now();
  const progress = createProgress(STAGES);
  const world = await createWorld(readBenchSettings());
  const running: Running = { service: null };
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await running.service?.stop().catch(() => undefined);
      await world.cleanup();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the service and removing schema ${world.schema} and keys ${world.prefix}:*…\n`);
      // The stage in flight fails as its schema and connections disappear; only the cleanup matters now.
      process.on('unhandledRejection', () => undefined);
      process.on('uncaughtException', () => undefined);
      void cleanup()
        .then(() => process.stderr.write('cleaned up.\n'))
        .finally(() => process.exit(INTERRUPTED_EXIT_CODE));
    });
  }
  try {
    const results = await runStages(world, running, progress, started);
    const goals = checkGoals(results);
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...results, goals }, null, 2)}\n`);
    process.stdout.write(`\n${formatResults(results, goals)}\n`);
    for (const note of results.notes) process.stdout.write(`- ${note}\n`);
    process.stdout.write(`\nWritten to ${path.relative(process.cwd(), RESULTS_FILE)} (wall time ${Math.round(results.wallSeconds)} s).\n`);
  } finally {
    progress.stage(`cleanup: drop schema ${world.schema}, delete ${world.prefix}:*`);
    await cleanup();
  }
}

async function runStages(world: World, running: Running, progress: ReturnType<typeof createProgress>, started: number): Promise<BenchResults> {
  const { db } = world.database;
  const { settings } = world;
  const catalogue = loadCatalogue();
  const circleRadiusM = readConfig({}).orders.serviceCircleM;
  const log = pino({ level: 'warn' }, pino.destination(2));
  const notes: string[] = [];

  progress.stage('raw BullMQ: add→complete at 200 jobs/s, then drain 20,000 jobs at concurrency 10');
  const bullmq = await measureBullmq(settings.redisUrl, world.prefix);
  progress.note(`p50/p99 ${formatMs(bullmq.steady.p50)} / ${formatMs(bullmq.steady.p99)}, drain ${formatRate(bullmq.drain.perSecond, 'jobs/s')}`);

  progress.stage(`schema ${world.schema}: migrations, synthetic Weihai, ${CITY_SIZES[0].toLocaleString('en-US')} volunteers`);
  await migrateDatabase(db);
  await createCityBase(db);
  let volunteers = 0;
  const matching: MatchingResult[] = [];
  const grow = async (to: number) => {
    const report = await growCity(db, volunteers, to, { identities: to <= SERVICE_CITY });
    const slowLoad = 'The database user is not a superuser: volunteers were loaded with foreign-key checks (slower, same rows).';
    if (!report.fkSuspended && !notes.includes(slowLoad)) notes.push(slowLoad);
    progress.note(`${report.volunteers.toLocaleString('en-US')} volunteers added in ${(report.ms / 1000).toFixed(1)} s`);
    volunteers = to;
  };
  const measureAt = async (size: number) => {
    progress.stage(`matching at ${size.toLocaleString('en-US')} volunteers: findCandidates + rankVolunteers, one order at a time`);
    const m = await measureMatching({ db, catalogue, circleRadiusM, volunteers: size });
    matching.push(m);
    progress.note(`${formatMs(m.perOrder.mean)} per order (retrieval ${formatMs(m.retrieval.mean)}, ranking ${formatMs(m.ranking.mean)}, ${Math.round(m.candidatesMean)} candidates)`);
  };
  await grow(CITY_SIZES[0]);
  await measureAt(CITY_SIZES[0]);
  progress.stage(`grow the city to ${CITY_SIZES[1].toLocaleString('en-US')} volunteers`);
  await grow(CITY_SIZES[1]);
  await measureAt(CITY_SIZES[1]);

  progress.stage(`start the service (its own process) on schema ${world.schema}, idle RSS`);
  fs.writeFileSync(SERVICE_LOG, '');
  running.service = await startChild('service', serviceEnv(world), SERVICE_LOG);
  const service = running.service;
  await sleep(IDLE_SETTLE_MS);
  const idle = await service.usage();
  progress.note(`listening on ${service.port}, RSS ${formatMb(idle.rss)}`);

  progress.stage('dispatch: insertOrder + enqueueDispatch at 100 orders/s for 30 s → first offer in the outbox');
  const before = await service.usage();
  const beforeAt = Date.now();
  const dispatch = await measureDispatch({ db, redisUrl: settings.redisUrl, prefix: world.prefix, catalogue, log });
  const after = await service.usage();
  const memory = { idleRss: idle.rss, afterDispatchRss: after.rss, dispatchCpuShare: (after.cpuMs - before.cpuMs) / (Date.now() - beforeAt) };
  progress.note(`p50/p99 ${formatMs(dispatch.latency.p50)} / ${formatMs(dispatch.latency.p99)} (${formatRatio(dispatch.latency.p99 / bullmq.steady.p99)} BullMQ p99), ${formatRate(dispatch.deliveredPerS, 'delivered/s')}, ${dispatch.undelivered} undelivered; service CPU ${Math.round(memory.dispatchCpuShare * 100)} % of a core, machine ${Math.round(dispatch.machineBusy * 100)} % busy, RSS ${formatMb(after.rss)}`);

  progress.stage('ingest: POST /sim/messages with 50 clients, against a Koa hello-world');
  const ingest = await measureIngest({
    service,
    startHello: () => startChild('hello', serviceEnv(world), SERVICE_LOG),
    redisUrl: settings.redisUrl,
    prefix: world.prefix,
  });
  progress.note(
    `hello ${formatRate(ingest.hello.perSecond, 'req/s')}; queue paused ${formatRate(ingest.ingest.perSecond, 'req/s')} (${formatRatio(ingest.ratio)}, service CPU ${Math.round(ingest.ingest.cpuShare * 100)} %, machine ${Math.round(ingest.ingest.machineBusy * 100)} % busy); ` +
      `worker answering ${formatRate(ingest.ingestWhileAnswering.perSecond, 'req/s')} (${formatRatio(ingest.ratioWhileAnswering)}); backlog answered in ${(ingest.drainMs / 1000).toFixed(1)} s`,
  );
  if (!ingest.drained) notes.push('The inbound backlog of the ingest stage was not answered in time; the claim storms ran behind it.');

  progress.stage('claim storms through POST /sim/messages 「接单」: 1,000 on one order, then 1,000 orders × 10');
  const claims = await measureClaims({ db, servicePort: service.port });
  progress.note(`one order: ${claims.single.winners} winner, p99 ${formatMs(claims.single.latency.p99)}; 1,000 orders: ${claims.many.winners} winners, ${formatRate(claims.many.perSecond, 'claims/s')}`);
  await waitForEmptyInbound(settings.redisUrl, world.prefix);

  progress.stage(`stop the service; grow the city to ${CITY_SIZES[2].toLocaleString('en-US')} volunteers`);
  await service.stop();
  running.service = null;
  await grow(CITY_SIZES[2]);
  await measureAt(CITY_SIZES[2]);

  notes.push(
    'Ingest goes through the simulator\'s POST /sim/messages: a signed platform webhook does not exist yet, so no signature is checked.',
    `Delivery times are when the bench's outbox poller (every ${POLL_MS} ms) first saw the row; claims go through POST /sim/messages, not runOrderCommand directly.`,
    `Service log: ${SERVICE_LOG}`,
  );
  return {
    startedAt: new Date(started).toISOString(),
    wallSeconds: (Date.now() - started) / 1000,
    machine: await describeMachine(world),
    bullmq,
    dispatch,
    ingest,
    claims,
    matching,
    memory,
    notes,
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
