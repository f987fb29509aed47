/**
 * Stage 4: claim storms through the real path a volunteer uses, the simulator's HTTP API: POST /sim/messages
 * 「接单 <单号>」 → ingest → inbound queue → chat → runOrderCommand → one conditional UPDATE decides. Each claimant
 * gets exactly one private answer naming the order (「接单成功」 or 「已被认领」); the outbox watcher times it.
 * Orders are put straight into 'offered' (no dispatch), so those answers are the only messages to claimants.
 */
import http from 'node:http';
import { fromLocal, toLocal } from '../src/kernel/shanghai-time.js';
import type { Db } from '../src/platform/db.js';
import { insertOrder } from '../src/orders/store.js';
import { postJson } from './http-load.js';
import { startOutboxWatcher, type OutboxWatcher } from './outbox-watcher.js';
import { maxOf, nowMs, summarize, waitFor, type Summary } from './stats.js';
import { BENCH_COMMUNITY, RESIDENTS } from './synthetic-city.js';
import { createRandom } from './synthetic-orders.js';

const SINGLE_CLAIMANTS = 1000;
const STORM_ORDERS = 1000;
const CLAIMANTS_PER_ORDER = 10;
/** Order numbers of this stage, clear of the held orders (100000…) and the dispatch stage (200000…). */
const ORDER_NO_BASE = 300_000;
/** Claims are posted all at once through this many keep-alive connections (the listen backlog is 511). */
const SOCKETS = 200;
const REPLY_TIMEOUT_MS = 120_000;
const SEED = 4;
const WANTED_HOUR = 10;
/** Where the contested orders are: the old town, where most volunteers live (claims do not depend on it). */
const OLD_TOWN = { lat: 37.505, lng: 122.12 };
const WON = '接单成功';
const TAKEN = '已被认领';

export interface StormResult {
  orders: number;
  claims: number;
  winners: number;
  /** Orders with more than one 'claimed' event: must be 0. */
  doubleWins: number;
  answers: { won: number; taken: number; other: number; missing: number };
  perSecond: number;
  latency: Summary;
  postErrors: number;
}

export interface ClaimsResult {
  single: StormResult;
  many: StormResult;
}

export async function measureClaims(deps: { db: Db; servicePort: number }): Promise<ClaimsResult> {
  const claimants = await pickClaimants(deps.db, SINGLE_CLAIMANTS + STORM_ORDERS * CLAIMANTS_PER_ORDER);
  const orders = await openOrders(deps.db, 1 + STORM_ORDERS);
  const [single, ...many] = orders;
  if (!single) throw new Error('no order for the claim storm');
  const singleClaims = claimants.slice(0, SINGLE_CLAIMANTS).map((volunteer) => ({ volunteer, order: single }));
  const random = createRandom(SEED);
  const manyClaims = shuffle(
    many.flatMap((order, i) => claimants.slice(SINGLE_CLAIMANTS + i * CLAIMANTS_PER_ORDER, SINGLE_CLAIMANTS + (i + 1) * CLAIMANTS_PER_ORDER).map((volunteer) => ({ volunteer, order }))),
    random,
  );
  const watcher = await startOutboxWatcher(deps.db);
  try {
    const storm = { db: deps.db, servicePort: deps.servicePort, watcher };
    return { single: await runStorm(storm, singleClaims, [single]), many: await runStorm(storm, manyClaims, many) };
  } finally {
    await watcher.stop();
  }
}

/** Active volunteers holding no order, so no claim is refused for an overlap. */
async function pickClaimants(db: Db, count: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT v.person_id AS id FROM volunteers v
     WHERE v.active AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.volunteer_id = v.person_id AND o.status IN ('claimed', 'in_service'))
     ORDER BY v.person_id LIMIT $1`,
    [count],
  );
  if (rows.length < count) throw new Error(`only ${rows.length} free volunteers for ${count} claims`);
  return rows.map((r) => r.id);
}

/** Errands (no skill required) for tomorrow morning, offered. */
async function openOrders(db: Db, count: number): Promise<{ id: string; no: string }[]> {
  const tomorrow = toLocal(new Date(Date.now() + 24 * 3600 * 1000));
  const orders: { id: string; no: string }[] = [];
  for (let k = 0; k < count; k++) {
    const residentId = `br-${1 + (k % RESIDENTS)}`;
    const order = await insertOrder(
      db,
      { residentId, createdBy: residentId, communityId: BENCH_COMMUNITY, gridId: null, category: 'errand', description: '代买菜',
        urgent: false, wantedAt: fromLocal(tomorrow.year, tomorrow.month, tomorrow.day, WANTED_HOUR), plannedHours: 1,
        lat: OLD_TOWN.lat, lng: OLD_TOWN.lng, area: '示范小区 1号楼附近', address: '示范小区1号楼1单元101', phone: null },
      () => String(ORDER_NO_BASE + k),
      { id: residentId, channel: 'sim' },
    );
    orders.push({ id: order.id, no: order.no });
  }
  // As the first offer leaves it (version 1), without posting offers that would also reach the claimants.
  await db.query(`UPDATE orders SET status = 'offered', version = 1 WHERE id = ANY($1::bigint[])`, [orders.map((o) => o.id)]);
  return orders;
}

async function runStorm(deps: { db: Db; servicePort: number; watcher: OutboxWatcher }, claims: { volunteer: string; order: { id: string; no: string } }[], orders: { id: string; no: string }[]): Promise<StormResult> {
  const sentAt = new Map<string, number>();
  const answered = new Map<string, { ms: number; at: number; text: string }>();
  const expected = new Map(claims.map((c) => [c.volunteer, c.order.no]));
  const unsubscribe = deps.watcher.subscribe((row) => {
    if (row.direction !== 'out' || row.roomId !== null || row.personId === null) return;
    const no = expected.get(row.personId);
    const at = sentAt.get(row.personId);
    if (no === undefined || at === undefined || answered.has(row.personId) || !row.text.includes(`单号 ${no}`)) return;
    answered.set(row.personId, { ms: row.seenAt - at, at: row.seenAt, text: row.text });
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS });
  const url = `http://127.0.0.1:${deps.servicePort}/sim/messages`;
  let postErrors = 0;
  const started = nowMs();
  try {
    await Promise.all(
      claims.map(async ({ volunteer, order }) => {
        sentAt.set(volunteer, nowMs());
        const answer = await postJson(agent, url, { from: volunteer, text: `接单 ${order.no}` }).catch(() => null);
        if (answer?.status !== 202) postErrors += 1;
      }),
    );
    await waitFor(() => answered.size >= claims.length - postErrors, REPLY_TIMEOUT_MS);
  } finally {
    unsubscribe();
    agent.destroy();
  }
  const answers = [...answered.values()];
  const lastAt = maxOf(answers.map((a) => a.at));
  const won = answers.filter((a) => a.text.includes(WON)).length;
  const taken = answers.filter((a) => a.text.includes(TAKEN)).length;
  const { rows } = await deps.db.query<{ winners: string; double_wins: string }>(
    `SELECT count(*) FILTER (WHERE o.status = 'claimed') AS winners,
            count(*) FILTER (WHERE (SELECT count(*) FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'claimed') > 1) AS double_wins
     FROM orders o WHERE o.id = ANY($1::bigint[])`,
    [orders.map((o) => o.id)],
  );
  return {
    orders: orders.length,
    claims: claims.length,
    winners: Number(rows[0]?.winners ?? 0),
    doubleWins: Number(rows[0]?.double_wins ?? 0),
    answers: { won, taken, other: answers.length - won - taken, missing: claims.length - answers.length },
    perSecond: (answers.length / (lastAt - started)) * 1000,
    latency: summarize(answers.map((a) => a.ms)),
    postErrors,
  };
}

/** Fisher–Yates with the bench's seeded random numbers, so every run posts in the same order. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
