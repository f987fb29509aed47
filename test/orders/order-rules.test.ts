import { getBalance } from '../../src/orders/ledger';
import { startTestService, testWorld, type TestService } from '../support/service';
import { eventually, placeOrder, simClient } from '../support/sim';

// The rules around the loop: refusals with reasons, duplicates, progress, help and the 48-hour auto-confirm.
const world = testWorld('rules');
let t: TestService;
let sim: ReturnType<typeof simClient>;

beforeAll(async () => {
  // 0.0005 h ≈ 1.8 s of resident silence before auto-confirmation.
  t = await startTestService({ ...world.env, AUTO_CONFIRM_HOURS: '0.0005' });
  sim = simClient(t);
});
afterAll(async () => {
  await t?.stop();
  await world.cleanup();
});

async function order(resident: string, text: string): Promise<string> {
  const no = await placeOrder(sim, resident, text);
  await eventually(async () => { const b = (await t.http.get(`/api/orders/${no}`)).body; return b.status === 'offered' && b.candidates.length > 0; });
  return no;
}

test('a claim without the required skill is refused with the reason', async () => {
  const no = await order('r-liang', '想咨询一下遗产继承的法律问题，下周二下午可以吗');
  await sim.say('v-li', `接单 ${no}`); // 李建军 holds no legal skill
  expect((await sim.next('v-li', no)).text).toContain('资质');
  await sim.say('v-tang', `接单 ${no}`); // 唐振华 is the legal volunteer
  await sim.next('v-tang', '接单成功');
});

test('a claim overlapping an order the volunteer already holds is refused', async () => {
  const first = await order('r-chen', '下周四上午十点想找人帮我修一下门锁');
  const second = await order('r-yang', '下周四上午十点家里的水龙头要换一个');
  await sim.say('v-qian', `接单 ${first}`);
  await sim.next('v-qian', '接单成功');
  await sim.say('v-qian', `接单 ${second}`);
  expect((await sim.next('v-qian', second)).text).toContain('时间冲突');
});

test('the same request at the same address while one is open is asked about first', async () => {
  await sim.say('r-chen', '下周四上午十点想找人帮我修一下门锁');
  await sim.next('r-chen', '还是去');
  await sim.say('r-chen', '是');
  await sim.next('r-chen', '请核对');
  await sim.say('r-chen', '确认');
  expect((await sim.next('r-chen', '同样的订单')).text).toMatch(/单号 \d{6}/);
  await sim.say('r-chen', '取消');
  await sim.next('r-chen', '已经取消');
});

test('进度 and 帮助 answer everyone, in their role', async () => {
  await sim.say('r-chen', '进度');
  expect((await sim.next('r-chen', '单号')).text).toContain('已接单');
  await sim.say('v-qian', '我的单');
  expect((await sim.next('v-qian', '单号')).text).toContain('家居维修');
  await sim.say('v-qian', '帮助');
  expect((await sim.next('v-qian', '接单')).text).toContain('派单');
  await sim.say('r-wang', '帮助');
  expect((await sim.next('r-wang', '进度')).text).toContain('120');
});

test('a resident silent after 完成 is auto-confirmed and the hours credited', async () => {
  const no = await order('r-huang', '明天下午两点想请人帮忙买点菜送上来');
  const volunteer = (await t.http.get(`/api/orders/${no}`)).body.candidates[0].volunteerId as string;
  await sim.say(volunteer, `接单 ${no}`);
  await sim.next(volunteer, '接单成功');
  await sim.say(volunteer, `到达 ${no}`);
  await sim.next(volunteer, '已记录到达');
  await sim.say(volunteer, `完成 ${no} 2`);
  await sim.next('r-huang', '满意吗');
  await sim.next('r-huang', '自动确认', 20_000);
  const done = (await t.http.get(`/api/orders/${no}`)).body;
  expect(done.status).toBe('confirmed');
  expect(done.autoConfirmed).toBe(true);
  expect(done.rating).toBeNull();
  expect(await getBalance(t.service.db, `volunteer:${volunteer}`)).toBeGreaterThanOrEqual(2);
  // Completing again, or rating after the auto-confirmation, credits nothing more.
  await sim.say(volunteer, `完成 ${no} 3`);
  await sim.next(volunteer, no);
  const { rows } = await t.service.db.query(`SELECT 1 FROM ledger_entries WHERE order_id = $1 AND hours > 0`, [done.id]);
  expect(rows).toHaveLength(1);
});
