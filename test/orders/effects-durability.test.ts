import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createNotifier } from '../../src/chat/outbox';
import { readConfig } from '../../src/config';
import { createChatDirectory, loadCatalogue } from '../../src/directory';
import { commitOrderEvent, createOrderDeps, processEffects } from '../../src/orders';
import type { OrderEvent } from '../../src/orders/domain/order-machine';
import { insertOrder } from '../../src/orders/store';
import { openDatabase, type Database } from '../../src/platform/db';
import { createQueue } from '../../src/platform/queues';
import { startTestService, testWorld } from '../support/service';
import { eventually } from '../support/sim';

// The worker dies between saving a transition and carrying out its effects, for every kind of effect. The
// database effects (hours, reliability, follow-up) committed with the transition; the rest waits in the effects
// outbox. A restarted service finishes them: hours credited once, follow-up opened once, every notice sent once;
// and an order whose dispatch job never reached Redis is dispatched.
const world = testWorld('effects');
const env: Record<string, string> = { ...world.env, CHECKIN_SCHEDULE: 'false' };
afterAll(() => world.cleanup());

const NOS = { confirm: '510001', rate: '510002', claim: '510003', complete: '510004', offer: '510005', twice: '510006' } as const;
type Case = keyof typeof NOS;

async function openWorldDatabase(): Promise<Database> {
  const config = readConfig(env);
  return openDatabase({ url: config.databaseUrl, dataDir: `${config.dataDir}/pglite`, schema: config.databaseSchema ?? undefined });
}

test('killed between save and effects: each effect is carried out exactly once after a restart', async () => {
  // A service creates the schema and the demo directory, then stops.
  const first = await startTestService(env);
  await first.stop();

  // The worker that commits the transitions, built from the same parts the service uses.
  const database = await openWorldDatabase();
  const { db } = database;
  const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
  const config = readConfig(env);
  const log = pino({ level: 'silent' });
  const queueCtx = { connection: redis, prefix: env.QUEUE_PREFIX!, log };
  const queues = new Map<string, Queue>();
  const queue = (name: string) => queues.get(name) ?? queues.set(name, createQueue(queueCtx, name)).get(name)!;
  const directory = createChatDirectory(db);
  const notifier = createNotifier({ db, directory, queue: queue('deliveries'), liveChannels: () => ['sim'] });
  const deps = createOrderDeps({ db, notifier, queue, queueReady: () => true, catalogue: loadCatalogue(), config: config.orders, log, now: () => new Date() });

  const ids = {} as Record<Case, string>;
  const seed = async (c: Case, status: string, volunteerId: string | null, hours: number | null) => {
    const order = await insertOrder(
      db,
      { residentId: 'r-wang', createdBy: 'r-wang', communityId: 'dongbeicun', gridId: 'dongbeicun-g1', category: 'errand', description: '代买药',
        urgent: false, wantedAt: new Date(Date.now() + 3 * 3600_000), plannedHours: 1, lat: 37.505, lng: 122.12, area: '东北村社区 3号楼附近',
        address: '3号楼2单元301', phone: '13953107126' },
      () => NOS[c],
      { id: 'r-wang', channel: 'test' },
    );
    await db.query('UPDATE orders SET status = $2, volunteer_id = $3, hours = $4, version = 1 WHERE id = $1', [order.id, status, volunteerId, hours]);
    ids[c] = order.id;
  };
  await seed('confirm', 'done', 'v-li', 1.5);
  await seed('rate', 'done', 'v-li', 2);
  await seed('claim', 'offered', null, null);
  await db.query(`INSERT INTO order_rooms (order_id, room_id, level) VALUES ($1, 'room-dongbeicun-hongmajia', 0)`, [ids.claim]);
  await seed('complete', 'claimed', 'v-zhang', null);
  await seed('offer', 'submitted', null, null);
  await seed('twice', 'done', 'v-wang', 1);

  const events: Record<Case, OrderEvent> = {
    confirm: { type: 'confirm' },
    rate: { type: 'rate', stars: 1, comment: '没修好', complaint: true },
    claim: { type: 'claim', volunteerId: 'v-wang' },
    complete: { type: 'complete', volunteerId: 'v-zhang', hours: null },
    offer: { type: 'offer' },
    twice: { type: 'confirm' },
  };
  const actor = (c: Case) => ({ id: c === 'claim' ? 'v-wang' : c === 'complete' ? 'v-zhang' : c === 'offer' ? null : 'r-wang', channel: 'sim' });
  for (const c of Object.keys(NOS) as Case[]) expect((await commitOrderEvent(deps, ids[c], events[c], actor(c))).ok).toBe(true);
  // An order placed whose dispatch job never reached Redis: still submitted, no job anywhere.
  const lost = await insertOrder(
    db,
    { residentId: 'r-chen', createdBy: 'r-chen', communityId: 'dongbeicun', gridId: 'dongbeicun-g2', category: 'errand', description: '代买菜',
      urgent: false, wantedAt: null, plannedHours: 1, lat: 37.505, lng: 122.12, area: '东北村社区 9号楼附近', address: '9号楼1单元502', phone: null },
    () => '510007',
    { id: 'r-chen', channel: 'test' },
  );
  // Two workers carry out the same order's outbox at once: still once.
  await Promise.all([processEffects(deps, ids.twice), processEffects(deps, ids.twice)]);

  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);
  // The database effects committed with the transitions; nothing was said yet (but for the order carried out above).
  expect(await count(`SELECT count(*) AS n FROM ledger_entries WHERE order_id = $1`, [ids.confirm])).toBe(2);
  expect(await count(`SELECT count(*) AS n FROM followups WHERE order_id = $1`, [ids.rate])).toBe(1);
  expect(await count(`SELECT count(*) AS n FROM order_effects WHERE done_at IS NULL AND order_id <> $1`, [ids.twice])).toBeGreaterThanOrEqual(10);
  expect(await count(`SELECT count(*) AS n FROM messages WHERE direction = 'out' AND text ~ '5100(01|02|03|04|05)'`)).toBe(0);
  expect(await count(`SELECT count(*) AS n FROM messages WHERE direction = 'out' AND text ~ '510006'`)).toBe(2);
  await Promise.all([...queues.values()].map((q) => q.close()));
  await redis.quit();
  await database.close();

  // The restarted service finds the outbox at start-up and carries it out.
  const second = await startTestService(env);
  try {
    const sdb = second.service.db;
    const scount = async (sql: string, params: unknown[] = []) => Number((await sdb.query<{ n: string }>(sql, params)).rows[0]!.n);
    await eventually(async () => (await scount(`SELECT count(*) AS n FROM order_effects WHERE done_at IS NULL`)) === 0, 20_000, 'the outbox to empty');

    const said = async (to: string, pattern: string) =>
      scount(`SELECT count(*) AS n FROM messages WHERE direction = 'out' AND (person_id = $1 OR room_id = $1) AND text ~ $2`, [to, pattern]);
    expect(await said('r-wang', `${NOS.confirm}.*已确认完成`)).toBe(1);
    expect(await said('v-li', `${NOS.confirm}.*存入您的时间银行`)).toBe(1);
    expect(await said('r-wang', `抱歉.*${NOS.rate}`)).toBe(1);
    expect(await said('w-zhao', `【回访】单号 ${NOS.rate}`)).toBe(1);
    expect(await said('s-sun', `【回访】单号 ${NOS.rate}`)).toBe(1);
    expect(await said('v-wang', `接单成功.*${NOS.claim}`)).toBe(1);
    expect(await said('r-wang', `${NOS.claim} 有人接了`)).toBe(1);
    expect(await said('room-dongbeicun-hongmajia', `${NOS.claim} 已由`)).toBe(1);
    expect(await said('r-wang', `${NOS.complete}.*满意吗`)).toBe(1);
    expect(await scount(`SELECT count(*) AS n FROM order_rooms WHERE order_id = $1`, [ids.offer])).toBeGreaterThan(0);
    await eventually(async () => (await scount(`SELECT count(*) AS n FROM order_rooms WHERE order_id = $1`, [lost.id])) > 0, 20_000, 'the lost order to be offered');
    expect(await scount(`SELECT count(*) AS n FROM order_candidates WHERE order_id = $1 AND offered_privately`, [ids.offer])).toBeGreaterThan(0);
    // No message was sent twice, and the timers are set once each (a job per order and version).
    const { rows: dup } = await sdb.query(`SELECT person_id, room_id, text FROM messages WHERE direction = 'out' GROUP BY 1, 2, 3 HAVING count(*) > 1`);
    expect(dup).toEqual([]);
    const orders = new Queue('orders', { connection: second.service.redis, prefix: env.QUEUE_PREFIX });
    const timers = (await orders.getJobs(['delayed', 'waiting'])).map((j) => j.id).filter((id) => id?.includes(`-${ids.complete}-`) || id?.includes(`-${ids.offer}-`));
    expect(timers.sort()).toEqual([`autoconfirm-${ids.complete}-2`, `escalate-${ids.offer}-2`]);
    await orders.close();
    // Hours once, follow-up once, whatever ran twice.
    expect(await scount(`SELECT count(*) AS n FROM ledger_entries WHERE order_id = $1`, [ids.confirm])).toBe(2);
    expect(await scount(`SELECT count(*) AS n FROM ledger_entries WHERE order_id = $1`, [ids.twice])).toBe(2);
    expect(await scount(`SELECT count(*) AS n FROM followups WHERE order_id = $1`, [ids.rate])).toBe(1);
  } finally {
    await second.stop();
  }
});
