import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { openDatabase, type Database } from '../../src/platform/db';
import { insertOrder } from '../../src/orders/store';
import { needsServer, serverUrl } from '../support/needs-server';
import { spawnService } from '../support/process';
import { untilDrained } from '../support/queues';
import { startTestService, testWorld } from '../support/service';
import { eventually } from '../support/sim';

// A worker process SIGKILLed while it dispatches a burst of orders: after the stall interval another
// process takes the stalled jobs over, and every order is offered exactly once (each room, each volunteer).
// Two processes share the database, so this needs the PostgreSQL server (PGlite lives in one process).
const world = testWorld('killworker');
const env: Record<string, string> = { ...world.env, QUEUE_LOCK_MS: '1000' };
afterAll(() => world.cleanup());

const ORDERS = 40;

needsServer('a SIGKILLed worker process and its successor share one database; PGlite lives inside a single process')('every order is offered exactly once after its worker is killed mid-dispatch', async () => {
  const first = await spawnService(env);
  const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
  const queue = new Queue('orders', { connection: redis, prefix: env.QUEUE_PREFIX });
  let database: Database | null = null;
  try {
    database = await openDatabase({ url: serverUrl!, dataDir: 'memory://', schema: env.DATABASE_SCHEMA });
    const { db } = database;
    const orders = [];
    for (let i = 0; i < ORDERS; i++) {
      orders.push(
        await insertOrder(
          db,
          { residentId: 'r-wang', createdBy: 'r-wang', communityId: 'dongbeicun', gridId: 'dongbeicun-g1', category: 'errand', description: '买药',
            urgent: false, wantedAt: null, plannedHours: 1, lat: 37.505, lng: 122.12, area: '东北村社区 3号楼附近', address: '3号楼2单元301', phone: null },
          () => String(200000 + i),
          { id: 'r-wang', channel: 'test' },
        ),
      );
    }
    await Promise.all(orders.map((o) => queue.add('dispatch', { orderId: o.id }, { jobId: `dispatch-${o.id}` })));
    // Kill as soon as the first offers are out: the rest of the burst is mid-flight or waiting.
    await eventually(async () => (await db.query('SELECT 1 FROM order_rooms LIMIT 1')).rows.length > 0, 20_000, 'the first offer');
    first.child.kill('SIGKILL');
    await first.exited;
    const offeredBeforeRestart = (await db.query(`SELECT count(*)::int AS n FROM orders WHERE status = 'offered'`)).rows[0].n as number;

    const second = await startTestService(env);
    try {
      await eventually(
        async () => (await db.query(`SELECT count(DISTINCT order_id)::int AS n FROM order_rooms`)).rows[0].n === ORDERS,
        30_000,
        'every order to be offered',
      );
      // Every dispatch has run to the end, the killed process's stalled ones included, and no effect is left:
      // a duplicate offer would be written by now.
      await untilDrained(second.config, ['orders', 'order-effects'], (job) => job.name !== 'escalate');
      await eventually(async () => (await db.query('SELECT 1 FROM order_effects WHERE done_at IS NULL LIMIT 1')).rows.length === 0, 30_000, 'every order effect to be carried out');
      const { rows: posts } = await db.query<{ room_id: string; text: string }>(`SELECT room_id, text FROM messages WHERE direction = 'out' AND room_id IS NOT NULL`);
      const perRoomAndOrder = new Map<string, number>();
      for (const p of posts) {
        const no = /单号 (\d{6})/.exec(p.text)?.[1];
        if (no) perRoomAndOrder.set(`${p.room_id}/${no}`, (perRoomAndOrder.get(`${p.room_id}/${no}`) ?? 0) + 1);
      }
      expect([...perRoomAndOrder.values()].every((n) => n === 1)).toBe(true);
      const { rows: rooms } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM order_rooms');
      expect(perRoomAndOrder.size).toBe(rooms[0]!.n);
      const { rows: privates } = await db.query<{ person_id: string; text: string }>(`SELECT person_id, text FROM messages WHERE direction = 'out' AND person_id LIKE 'v-%'`);
      const perVolunteerAndOrder = new Set<string>();
      for (const p of privates) {
        const key = `${p.person_id}/${/单号 (\d{6})/.exec(p.text)?.[1]}`;
        expect(perVolunteerAndOrder.has(key)).toBe(false);
        perVolunteerAndOrder.add(key);
      }
      const { rows: statuses } = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM orders GROUP BY status`);
      expect(statuses).toEqual([{ status: 'offered', n: ORDERS }]);
      expect(offeredBeforeRestart).toBeLessThan(ORDERS); // the kill did land in the middle of the burst
    } finally {
      await second.stop();
    }
  } finally {
    first.child.kill('SIGKILL');
    await database?.close();
    await queue.close();
    await redis.quit();
  }
});
