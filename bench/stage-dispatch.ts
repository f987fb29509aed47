/**
 * Stage 2: a resident's 「确认」 → the first offer in the outbox, against the running service. Orders are created
 * exactly as intake's submit does (insertOrder + enqueueDispatch) at a steady rate; the outbox watcher stamps the
 * first outgoing message that names each order's number. Database timestamps split each order's time into
 * queue + transition, matching + saving the ranking, and the rest (commit, outbox write, bench poll).
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { fromLocal, toLocal } from '../src/kernel/shanghai-time.js';
import type { Category, CategoryCode } from '../src/directory/types.js';
import { enqueueDispatch } from '../src/orders/service.js';
import { createQueue } from '../src/platform/queues.js';
import { categoryByCode } from '../src/directory/catalogue.js';
import type { Db } from '../src/platform/db.js';
import { insertOrder, type NewOrder } from '../src/orders/store.js';
import { busySince, markCpu } from './machine-cpu.js';
import { startOutboxWatcher } from './outbox-watcher.js';
import { maxOf, nowMs, percentile, sleep, summarize, waitFor, type Summary } from './stats.js';
import { BENCH_COMMUNITY, RESIDENTS } from './synthetic-city.js';
import { createRandom, sampleCategory, sampleHome } from './synthetic-orders.js';

const RATE_PER_S = 100;
const WARMUP_S = 3;
const MEASURE_S = 30;
/** Order numbers of this stage: 6 digits, clear of the held orders (100000…) and the claim storm (300000…). */
const ORDER_NO_BASE = 200_000;
const DELIVERY_TIMEOUT_MS = 60_000;
const SEED = 2;
/** Share of residents who want help as soon as possible; the rest name a time tomorrow. */
const ASAP_SHARE = 0.4;
const FIRST_HOUR = 8;
const LAST_HOUR = 18;
const ORDER_NUMBER = /单号 (\d{6})/;

export interface DispatchResult {
  latency: Summary;
  ratePerS: number;
  seconds: number;
  orders: number;
  undelivered: number;
  /** Share of all cores busy (service, PostgreSQL, Redis, bench) from the first order to the last offer. */
  machineBusy: number;
  /** Orders delivered per second from the first 「确认」 to the last first offer: what the service keeps up with. */
  deliveredPerS: number;
  /** p50 / p99 of each part of an order's time, ms (database clock). */
  parts: { toOffered: { p50: number; p99: number }; matching: { p50: number; p99: number } };
}

export async function measureDispatch(deps: { db: Db; redisUrl: string; prefix: string; catalogue: Category[]; log: Logger }): Promise<DispatchResult> {
  const connection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
  const orderQueue = createQueue({ connection, prefix: deps.prefix, log: deps.log }, 'orders');
  const queues = { orders: orderQueue };
  const random = createRandom(SEED);
  const warmup = WARMUP_S * RATE_PER_S;
  const total = warmup + MEASURE_S * RATE_PER_S;
  const tomorrow = toLocal(new Date(Date.now() + 24 * 3600 * 1000));
  const specs = Array.from({ length: total }, (_, k) => describeOrder(k, random, deps.catalogue, tomorrow));
  const confirmedAt = new Map<string, number>();
  const delivered = new Map<string, { ms: number; messageId: number; at: number }>();
  const watcher = await startOutboxWatcher(deps.db);
  watcher.subscribe((row) => {
    if (row.direction !== 'out') return;
    const no = ORDER_NUMBER.exec(row.text)?.[1];
    const at = no === undefined ? undefined : confirmedAt.get(no);
    if (no === undefined || at === undefined || delivered.has(no)) return;
    delivered.set(no, { ms: row.seenAt - at, messageId: row.id, at: row.seenAt });
  });
  const start = nowMs();
  const cpu = markCpu();
  let machineBusy: number;
  try {
    const submits: Promise<void>[] = [];
    let failure: unknown;
    for (let k = 0; k < total; k++) {
      const wait = start + (k * 1000) / RATE_PER_S - nowMs();
      if (wait > 1) await sleep(wait);
      const no = String(ORDER_NO_BASE + k);
      confirmedAt.set(no, nowMs());
      const spec = specs[k] as NewOrder;
      // Caught at once: a submit failing while later ones are still being sent must not crash the process.
      const submit = insertOrder(deps.db, spec, () => no, { id: spec.residentId, channel: 'sim' }).then((order) => enqueueDispatch({ orderQueue: queues.orders }, order));
      submits.push(submit.catch((err: unknown) => void (failure ??= err)));
    }
    await Promise.all(submits);
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
    await waitFor(() => delivered.size >= total, DELIVERY_TIMEOUT_MS);
    machineBusy = busySince(cpu);
  } finally {
    await watcher.stop();
    await Promise.all(Object.values(queues).map((q) => q.close()));
    connection.disconnect();
  }
  const measured = [...delivered].filter(([no]) => Number(no) - ORDER_NO_BASE >= warmup);
  return {
    latency: summarize(measured.map(([, d]) => d.ms)),
    ratePerS: RATE_PER_S,
    seconds: MEASURE_S,
    orders: total - warmup,
    undelivered: total - delivered.size,
    machineBusy,
    deliveredPerS: (delivered.size / (maxOf([...delivered.values()].map((d) => d.at)) - start)) * 1000,
    parts: await splitByDatabaseClock(deps.db, measured.map(([no, d]) => ({ no, messageId: d.messageId }))),
  };
}

function describeOrder(k: number, random: () => number, catalogue: Category[], tomorrow: ReturnType<typeof toLocal>): NewOrder {
  const home = sampleHome(random);
  const code = sampleCategory(random) as CategoryCode;
  const asap = random() < ASAP_SHARE;
  const hour = FIRST_HOUR + Math.floor(random() * (LAST_HOUR - FIRST_HOUR));
  const residentId = `br-${1 + (k % RESIDENTS)}`;
  return {
    residentId,
    createdBy: residentId,
    communityId: BENCH_COMMUNITY,
    gridId: null,
    category: code,
    description: '压测订单',
    urgent: false,
    wantedAt: asap ? null : fromLocal(tomorrow.year, tomorrow.month, tomorrow.day, hour, 0),
    plannedHours: categoryByCode(catalogue, code)?.defaultHours ?? 1,
    lat: home.lat,
    lng: home.lng,
    area: `示范小区 ${1 + (k % 50)}号楼附近`,
    address: `示范小区${1 + (k % 50)}号楼${1 + (k % 6)}单元${101 + (k % 20)}`,
    phone: null,
  };
}

/** From the rows' own timestamps: submitted → 'offered' saved, and 'offered' → the first offer's row. */
async function splitByDatabaseClock(db: Db, orders: { no: string; messageId: number }[]): Promise<DispatchResult['parts']> {
  const { rows } = await db.query<{ to_offered: number; matching: number }>(
    `SELECT extract(epoch FROM e.at - o.created_at) * 1000 AS to_offered, extract(epoch FROM m.created_at - e.at) * 1000 AS matching
     FROM unnest($1::text[], $2::bigint[]) AS t(no, message_id)
     JOIN orders o ON o.no = t.no AND o.status = 'offered'
     JOIN order_events e ON e.order_id = o.id AND e.to_status = 'offered'
     JOIN messages m ON m.id = t.message_id`,
    [orders.map((o) => o.no), orders.map((o) => o.messageId)],
  );
  const part = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
  return { toOffered: part(rows.map((r) => Number(r.to_offered))), matching: part(rows.map((r) => Number(r.matching))) };
}
