/**
 * The one composition root: config → logger → redis → db → features → chat → workers → channels → http →
 * signals. Everything else is a plain factory that takes its dependencies. A new feature is a new folder
 * plus its registration below (migrations, the feature, and where its chat handlers sit in the order).
 */
import type { Server } from 'node:http';
import type { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { Wechaty } from 'wechaty';
import { chatMigrations, type AnyChatFeature, type Channel, type SlotType, type FlowAction } from './chat/index.js';
import { createSimulatorChannel } from './chat/channels/simulator.js';
import { createWechatyChannel } from './chat/channels/wechaty.js';
import { createConversations } from './chat/conversation/engine.js';
import { loadFlows } from './chat/conversation/flow.js';
import { createSessionStore } from './chat/conversation/sessions.js';
import { createDeliveryProcessor } from './chat/deliveries.js';
import { createInboundProcessor, createInboundSweep, createIngest, INBOUND_QUEUE } from './chat/inbound.js';
import { createDeliverySweep, createNotifier, DELIVERIES_QUEUE } from './chat/outbox.js';
import { createChatRouter } from './chat/router.js';
import { registerSimRoutes } from './chat/sim-routes.js';
import { checkinsMigrations, createCheckinsFeature, type Checkins } from './checkins/index.js';
import { readConfig, type Config } from './config.js';
import { createChatDirectory, directoryMigrations, loadCatalogue, seedDirectory, type Person, type Room } from './directory/index.js';
import { createHelpChat, helpFlows } from './help/index.js';
import { createHttpApp } from './http/app.js';
import { registerHealthRoutes } from './http/health.js';
import { createOrdersFeature, ordersMigrations } from './orders/index.js';
import { openDatabase, type Db } from './platform/db.js';
import { migrate } from './platform/migrate.js';
import { createQueue, startWorker, type WorkerSpec } from './platform/queues.js';
import { checkEvictionPolicy, ensureRedis } from './platform/redis.js';
import { databaseProblem, describeStartupError } from './platform/startup.js';
import { startSweeper } from './platform/sweeper.js';

export interface Service {
  port: number;
  server: Server;
  db: Db;
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

/** Feature tables in dependency order: a feature's tables may reference those of the features before it. */
export const MIGRATIONS = [chatMigrations, directoryMigrations, ordersMigrations, checkinsMigrations];
/** Bounded wait for in-flight jobs on shutdown. */
const DRAIN_TIMEOUT_MS = 10_000;
/** How often stranded work (inbound messages, order effects, deliveries) is looked for. */
const SWEEP_INTERVAL_MS = 5_000;

/** Apply every feature's migrations. */
export async function migrateDatabase(db: Db): Promise<string[]> {
  return migrate(db, MIGRATIONS);
}

/** Wait for `work`, but no longer than `ms`. */
async function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

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
  const catalogue = loadCatalogue();

  await ensureRedis(config.redisUrl, { autostart: config.redisAutostart, dataDir: config.dataDir, log });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  await checkEvictionPolicy(redis).catch((err: unknown) => {
    redis.disconnect();
    throw err;
  });
  const queueReady = () => redis.status === 'ready';

  const dataDir = `${config.dataDir}/pglite`;
  const database = await openDatabase({ url: config.databaseUrl, dataDir, schema: config.databaseSchema ?? undefined }).catch((err: unknown) => {
    redis.disconnect();
    throw databaseProblem(err, config.databaseUrl, dataDir);
  });
  const { db } = database;
  await migrateDatabase(db).catch(async (err: unknown) => {
    redis.disconnect();
    await database.close().catch(() => undefined);
    throw databaseProblem(err, config.databaseUrl, dataDir);
  });
  if (config.seedDemo) await seedDirectory(db);

  const queueCtx = { connection: redis, prefix: config.queuePrefix, log };
  const queues = new Map<string, Queue>();
  const queue = (name: string) => queues.get(name) ?? queues.set(name, createQueue(queueCtx, name)).get(name)!;

  const channels = new Map<string, Channel>();
  const sim = createSimulatorChannel();
  if (config.channels.includes('sim')) channels.set(sim.name, sim);
  if (config.channels.includes('wechaty')) {
    const wechaty = createWechatyChannel({ bot: opts.wechatyBot ?? buildWechaty(config), log: log.child({ channel: 'wechaty' }) });
    channels.set(wechaty.name, wechaty);
  }
  const directory = createChatDirectory(db);
  const notifier = createNotifier({ db, directory, queue: queue(DELIVERIES_QUEUE), liveChannels: () => [...channels.keys()] });

  // Features.
  const orders = createOrdersFeature({ db, notifier, queue, queueReady, catalogue, config: config.orders, log, now });
  const checkins = createCheckinsFeature({ db, redis, notifier, queue, log, now, prefix: config.queuePrefix, config: config.checkins, orders: orders.api });
  const help = createHelpChat();

  // Chat: conversations learn slot types and actions from the features; handlers are tried in this order.
  const slots: SlotType<Person>[] = [...orders.slots];
  const actions: [string, FlowAction<Person>][] = [...Object.entries(orders.actions)];
  const flows = loadFlows([orders.flows, helpFlows], { slots: slots.map((s) => s.name), actions: actions.map(([name]) => name) }, ['order', 'help']);
  const conversations = createConversations<Person, Room>({
    flows,
    slots: new Map(slots.map((s) => [s.name, s])),
    actions: new Map(actions),
    sessions: createSessionStore(redis, config.queuePrefix),
    idleMinutes: config.orders.draftIdleMinutes,
  });
  const chatFeatures: AnyChatFeature<Person, Room>[] = [
    orders.chat.emergency,
    orders.chat.emergencyAddress,
    orders.chat.commands,
    help.help,
    orders.chat.progress,
    conversations.feature,
    checkins.chat,
    orders.chat.closing,
    help.register,
    orders.chat.request,
    help.fallback,
  ];
  const processInbound = createInboundProcessor<Person, Room>({
    db, redis, directory, notifier, route: createChatRouter(chatFeatures), conversations, lockPrefix: config.queuePrefix, lockMs: config.queueLockMs, log, now,
  });
  const inboundQueue = queue(INBOUND_QUEUE);

  const workerSpecs: WorkerSpec[] = [
    { queue: INBOUND_QUEUE, concurrency: 8, process: (job) => processInbound((job.data as { messageId: string }).messageId) },
    { queue: DELIVERIES_QUEUE, concurrency: 4, process: createDeliveryProcessor({ db, directory, channels }) },
    ...orders.workers,
    ...checkins.workers,
  ];
  const workers: Worker[] = workerSpecs.map((spec) => startWorker(spec, { ...queueCtx, lockMs: config.queueLockMs }));
  const sweeper = startSweeper(
    [createInboundSweep({ db, queue: inboundQueue, queueReady }), ...orders.sweeps, createDeliverySweep({ db, queue: queue(DELIVERIES_QUEUE), queueReady })],
    SWEEP_INTERVAL_MS,
    log,
  );
  redis.on('ready', () => void sweeper.now());
  await sweeper.now();
  await checkins.start();

  const ingest = createIngest({ db, directory, queue: inboundQueue, queueReady, log });
  for (const channel of channels.values()) await channel.start(ingest);

  const { app } = createHttpApp({
    log,
    routes: [
      (router) => registerHealthRoutes(router, { db, redis }),
      orders.routes,
      checkins.routes,
      ...(channels.has('sim') ? [(router: Parameters<typeof registerSimRoutes>[0]) => registerSimRoutes(router, { db, directory, sim })] : []),
    ],
  });
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
      await checkins.stop();
      await sweeper.stop();
      for (const channel of channels.values()) await channel.stop().catch((err: unknown) => log.warn({ err }, 'channel stop failed'));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Bounded: with Redis away, closing workers and queues would wait for it for ever.
      await withDeadline(Promise.all(workers.map((w) => w.close())), DRAIN_TIMEOUT_MS);
      await withDeadline(Promise.all([...queues.values()].map((q) => q.close())), DRAIN_TIMEOUT_MS);
      await database.close();
      if (redis.status === 'ready') await redis.quit().catch(() => undefined);
      else redis.disconnect();
    })());
  return { port, server, db, redis, checkins: checkins.checkins, stop };
}

async function main(): Promise<void> {
  let service: Service | null = null;
  try {
    service = await startService(readConfig());
  } catch (err) {
    console.error(`linli cannot start: ${describeStartupError(err)}`);
    process.exit(1);
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
