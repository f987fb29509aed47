import { untilDrained } from '../support/queues';
import { startTestService, testWorld, type TestService } from '../support/service';
import { eventually, placeOrder, simClient } from '../support/sim';

// Escalation on the real BullMQ with short configured delays: 1.8 s, 3 s, 4.2 s after the offer.
const world = testWorld('escalation');
let t: TestService;

beforeAll(async () => {
  t = await startTestService({ ...world.env, ESCALATION_MINUTES: '0.03,0.05,0.07' });
});
afterAll(async () => {
  await t?.stop();
  await world.cleanup();
});

async function roomsOf(no: string): Promise<{ room_id: string; level: number }[]> {
  const { rows } = await t.service.db.query<{ room_id: string; level: number }>(
    `SELECT r.room_id, r.level FROM order_rooms r JOIN orders o ON o.id = r.order_id WHERE o.no = $1 ORDER BY r.level, r.room_id`,
    [no],
  );
  return rows;
}

test('unclaimed: community teams, then the street, then unclaimed with the grid worker and the secretary told', async () => {
  const sim = simClient(t);
  const no = await placeOrder(sim, 'r-huang', '下周五下午想找人陪我去市立医院复查');
  const order = await eventually(async () => {
    const res = await t.http.get(`/api/orders/${no}`);
    return res.body.status === 'unclaimed' ? res.body : null;
  }, 20_000, 'the order to become unclaimed');
  expect(order.escalationLevel).toBe(3);
  const rooms = await roomsOf(no);
  const teamRooms = ['room-dongbeicun-hongmajia', 'room-dongbeicun-yinling', 'room-dongbeicun-qingnian', 'room-dongbeicun-qiaoshou'];
  expect(rooms.map((r) => r.room_id)).toEqual(expect.arrayContaining([...teamRooms, 'room-xibeicun-zhiyuan']));
  await sim.next('w-liu', `单号 ${no}`);
  await sim.next('s-sun', `单号 ${no}`);
  await sim.next('r-huang', '暂时还没有');
  expect(order.history.map((h: { to: string }) => h.to)).toEqual(['submitted', 'offered', 'offered', 'offered', 'unclaimed']);

  // A worker then assigns it by hand.
  await sim.say('w-liu', `派单 ${no} @李建军`);
  await sim.next('w-liu', '已把单号');
  await sim.next('v-li', '接单成功');
});

test('an escalation that finds the order claimed does nothing', async () => {
  const sim = simClient(t);
  const no = await placeOrder(sim, 'r-liang', '后天上午想请人帮忙去银行缴个水电费');
  const offered = await eventually(async () => {
    const res = await t.http.get(`/api/orders/${no}`);
    return res.body.status === 'offered' && res.body.candidates.length > 0 ? res.body : null;
  });
  const volunteer = offered.candidates[0].volunteerId as string;
  await sim.say(volunteer, `接单 ${no}`);
  await sim.next(volunteer, '接单成功');
  // Every escalation timer of this order has fired (they are scheduled with the offer) and found it claimed.
  await eventually(async () => (await t.service.db.query(`SELECT 1 FROM order_effects WHERE order_id = $1 AND done_at IS NULL`, [offered.id])).rows.length === 0);
  await untilDrained(t.config, ['orders'], (job) => job.name === 'escalate' && job.data.orderId === offered.id);
  const after = (await t.http.get(`/api/orders/${no}`)).body;
  expect(after.status).toBe('claimed');
  expect(after.escalationLevel).toBe(0);
  expect((await roomsOf(no)).every((r) => r.level === 0)).toBe(true);
});
