import { insertOrder } from '../../src/orders/store';
import { startTestService, testWorld, type TestService } from '../support/service';
import { eventually, simClient } from '../support/sim';

// 50 volunteers claim one order at the same moment: one wins, 49 are told it is taken.
const world = testWorld('claims');
let t: TestService;

beforeAll(async () => {
  t = await startTestService(world.env);
});
afterAll(async () => {
  await t?.stop();
  await world.cleanup();
});

const CLAIMANTS = 50;

test('50 concurrent claims on one order → exactly one winner and 49 refusals', async () => {
  const db = t.service.db;
  const ids = Array.from({ length: CLAIMANTS }, (_, i) => `v-storm-${i}`);
  for (const id of ids) {
    await db.query(`INSERT INTO people (id, name, role, community_id) VALUES ($1, $2, 'volunteer', 'dongbeicun')`, [id, `测试${id.slice(-2)}`]);
    await db.query(`INSERT INTO volunteers (person_id, skills, lat, lng) VALUES ($1, '{errand}', 37.505, 122.12)`, [id]);
    await db.query(`INSERT INTO identities (channel, external_id, kind, ref_id) VALUES ('sim', $1, 'person', $1)`, [id]);
  }
  const order = await insertOrder(
    db,
    { residentId: 'r-huang', createdBy: 'r-huang', communityId: 'dongbeicun', gridId: 'dongbeicun-g2', category: 'errand', description: '代买药',
      urgent: false, wantedAt: null, plannedHours: 1, lat: 37.505, lng: 122.12, area: '东北村社区 11号楼附近', address: '11号楼2单元401', phone: null },
    () => '424242',
    { id: 'r-huang', channel: 'test' },
  );
  await t.service.db.query(`UPDATE orders SET status = 'offered', version = 1 WHERE id = $1`, [order.id]);

  const sim = simClient(t);
  await Promise.all(ids.map((id) => sim.say(id, '接单 424242')));
  const replies = await Promise.all(ids.map((id) => sim.next(id, '424242', 30_000)));
  const winners = replies.filter((r) => r.text.includes('接单成功'));
  const refused = replies.filter((r) => r.text.includes('已被认领'));
  expect(winners).toHaveLength(1);
  expect(refused).toHaveLength(CLAIMANTS - 1);

  const { rows } = await db.query<{ status: string; volunteer_id: string }>('SELECT status, volunteer_id FROM orders WHERE id = $1', [order.id]);
  expect(rows[0]!.status).toBe('claimed');
  expect(rows[0]!.volunteer_id).toBe(winners[0]!.to);
  const events = await eventually(async () => {
    const r = await db.query(`SELECT 1 FROM order_events WHERE order_id = $1 AND to_status = 'claimed'`, [order.id]);
    return r.rows;
  });
  expect(events).toHaveLength(1);
});

test('a volunteer claiming twice is told it is already theirs, and a non-volunteer cannot claim', async () => {
  const sim = simClient(t);
  await sim.say('r-wang', '接单 424242');
  expect((await sim.next('r-wang')).text).toMatch(/已被认领|志愿者/);
});
