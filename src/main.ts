/**
 * The one composition root: readConfig → logger → flows/catalogue → redis → db → queues/workers →
 * channels → http → signals. Everything else is a plain factory that takes its dependencies.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { Wechaty } from 'wechaty';
import type { Channel } from './channels/channel.js';
import { createSimulatorChannel } from './channels/simulator.js';
import { createWechatyChannel } from './channels/wechaty-channel.js';
import { ConfigError, readConfig, type Config } from './config.js';
import { FlowError, loadFlows } from './conversation/flow.js';
import { DEFAULT_ORDER_RULES } from './domain/order-machine.js';
import { createHttpApp } from './http/app.js';
import { createRedisRunCoordinator, scheduleCheckinTick } from './jobs/checkin-cron.js';
import { createCheckins, type Checkins } from './jobs/checkins.js';
import { createDispatcher } from './jobs/dispatch.js';
import { createInboundProcessor, createIngest } from './jobs/inbound.js';
import type { IntakeDeps } from './jobs/intake.js';
import { createNotifier } from './jobs/notifier.js';
import type { OrderDeps } from './jobs/order-actions.js';
import { createDeliveryProcessor, createOrderProcessor, createQueues, QUEUE_NAMES, startWorker } from './jobs/workers.js';
import { loadCatalogue } from './store/catalogue.js';
import { openDatabase } from './store/db.js';
import { migrate } from './store/migrate.js';
import { checkEvictionPolicy, ensureRedis, RedisSetupError } from './store/redis.js';
import { seedDirectory } from './store/seed.js';
import { createSessionStore } from './store/sessions.js';

export interface Service {
  port: number;
  server: Server;
  db: Awaited<ReturnType<typeof openDatabase>>['db'];
  redis: Redis;
  checkins: Checkins;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** A ready Wechaty instance (tests pass one on the mock puppet); otherwise built from the config. */
  wechatyBot?: Wechaty;
  /** Clock for everything the service decides; tests may move it. */
  now?: () => Date;
}

const FLOWS_DIR = path.resolve(__dirname, '..', 'flows');
/** Bounded wait for in-flight jobs on shutdown. */
const DRAIN_TIMEOUT_MS = 10_000;

function buildWechaty(config: Config): Wechaty {
  // Loaded only when the channel is configured: wechaty brings gRPC and friends. require() keeps the CommonJS build.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { WechatyBuilder } = require('wechaty') as typeof import('wechaty');
  return WechatyBuilder.build({
    name: config.wechaty.name,
    ...(config.wechaty.puppet ? { puppet: config.wechaty.puppet as never } : {}),
    ...(config.wechaty.token ? { puppetOptions: { token: config.wechaty.token } } : {}),
  });
}

/** Start everything and listen; resolves once the service answers. */
export async function startService(config: Config, opts: StartOptions = {}): Promise<Service> {
  const log = opts.log ?? pino({ level: config.logLevel });
  const now = opts.now ?? (() => new Date());
  const flows = loadFlows(FLOWS_DIR);
  const catalogue = loadCatalogue();

  await ensureRedis(config.redisUrl, { autostart: config.redisAutostart, dataDir: config.dataDir, log });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  await checkEvictionPolicy(redis);

  const database = await openDatabase({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'pglite'), schema: config.databaseSchema ?? undefined });
  const { db } = database;
  await migrate(db);
  if (config.seedDemo) await seedDirectory(db);

  const prefix = config.queuePrefix;
  const queues = createQueues(redis, prefix, log);
  const channels = new Map<string, Channel>();
  const sim = createSimulatorChannel();
  if (config.channels.includes('sim')) channels.set(sim.name, sim);
  if (config.channels.includes('wechaty')) {
    const bot = opts.wechatyBot ?? buildWechaty(config);
    const wechaty = createWechatyChannel({ bot, log: log.child({ channel: 'wechaty' }) });
    channels.set(wechaty.name, wechaty);
  }

  const notifier = createNotifier({ db, deliveries: queues.deliveries, liveChannels: () => [...channels.keys()] });
  const orderDeps: OrderDeps = {
    db,
    notifier,
    orderQueue: queues.orders,
    catalogue,
    rules: { ...DEFAULT_ORDER_RULES, escalationMinutes: config.orders.escalationMinutes, autoConfirmHours: config.orders.autoConfirmHours },
    quietHours: config.orders.quietHours,
    log,
    now,
    dispatch: createDispatcher({ db, notifier, catalogue, circleRadiusM: config.orders.serviceCircleM, topN: config.orders.offerTopN, now }),
  };
  const intakeDeps: IntakeDeps = { ...orderDeps, flows, sessions: createSessionStore(redis, prefix), idleMinutes: config.orders.draftIdleMinutes };
  const processInbound = createInboundProcessor({ ...intakeDeps, redis, lockPrefix: prefix, lockMs: config.queueLockMs, log });
  const workerOpts = { connection: redis, prefix, log, lockMs: config.queueLockMs };
  const workers: Worker[] = [
    startWorker<{ messageId: string }>(QUEUE_NAMES.inbound, (job) => processInbound(job.data.messageId), { ...workerOpts, concurrency: 8 }),
    startWorker(QUEUE_NAMES.orders, createOrderProcessor(orderDeps), { ...workerOpts, concurrency: 4 }),
    startWorker(QUEUE_NAMES.deliveries, createDeliveryProcessor({ db, channels, log }), { ...workerOpts, concurrency: 4 }),
  ];
  const checkins = createCheckins({ db, notifier, queue: queues.checkins, log, now, ...config.checkins });
  workers.push(startWorker(QUEUE_NAMES.checkins, checkins.process, { ...workerOpts, concurrency: 2 }));
  const cronTask = config.checkins.schedule ? scheduleCheckinTick(() => checkins.tick(now()), createRedisRunCoordinator(redis, prefix), log) : null;
  if (cronTask) await checkins.tick(now()); // catch up at once after a restart inside a slot's window

  const ingest = createIngest({ db, inboundQueue: queues.inbound, queueReady: () => redis.status === 'ready' });
  for (const channel of channels.values()) await channel.start(ingest);

  const app = createHttpApp({ db, redis, log, now, checkins, ...(channels.has('sim') ? { sim } : {}) });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ port, db: database.kind, channels: [...channels.keys()] }, `linli is listening on http://localhost:${port} (simulator: /sim)`);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop taking messages, finish what is in flight, then close the stores.
      await cronTask?.destroy();
      for (const channel of channels.values()) await channel.stop().catch((err: unknown) => log.warn({ err }, 'channel stop failed'));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)));
      await Promise.race([Promise.all(workers.map((w) => w.close())), timeout]);
      clearTimeout(timer);
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await database.close();
      await redis.quit().catch(() => undefined);
    })());
  return { port, server, db, redis, checkins, stop };
}

async function main(): Promise<void> {
  let service: Service | null = null;
  try {
    service = await startService(readConfig());
  } catch (err) {
    if (err instanceof ConfigError || err instanceof RedisSetupError || err instanceof FlowError) {
      console.error(`linli cannot start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const shutdown = (signal: string) => {
    console.error(`linli: ${signal} received, draining…`);
    void service
      ?.stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) void main();
