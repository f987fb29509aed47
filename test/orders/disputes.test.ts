import { getBalance, getEntries, volunteerAccount } from '../../src/orders/ledger';
import { startTestService, testWorld, type TestService } from '../support/service';
import { eventually, placeOrder, simClient } from '../support/sim';

// A disputed order leaves `disputed` when the grid worker or the secretary settles it in chat: the hours held
// back are credited or not, hours already credited are reversed by a compensating entry, and the resident and
// the volunteer are told.
const world = testWorld('disputes');
let t: TestService;
let sim: ReturnType<typeof simClient>;

beforeAll(async () => {
  t = await startTestService({ ...world.env, CHECKIN_SCHEDULE: 'false' });
  sim = simClient(t);
});
afterAll(async () => {
  await t?.stop();
  await world.cleanup();
});

const order = async (no: string) => (await t.http.get(`/api/orders/${no}`)).body as { id: string; status: string; hours: number | null; candidates: { volunteerId: string }[] };

/** A resident orders, the best candidate claims and completes: returns the number and the volunteer. */
async function served(resident: string, text: string, hours: string): Promise<{ no: string; volunteer: string }> {
  const no = await placeOrder(sim, resident, text);
  const offered = await eventually(async () => {
    const o = await order(no);
    return o.status === 'offered' && o.candidates.length > 0 ? o : null;
  });
  const volunteer = offered.candidates[0]!.volunteerId;
  await sim.say(volunteer, `接单 ${no}`);
  await sim.next(volunteer, '接单成功');
  await sim.say(volunteer, `完成 ${no} ${hours}`);
  await sim.next(resident, '满意吗');
  return { no, volunteer };
}

test('不记时: the held hours are never credited, the follow-up closes, both sides hear it', async () => {
  const { no, volunteer } = await served('r-wang', '后天上午想找人帮忙买点菜', '1');
  await sim.say('r-wang', '1 志愿者没来');
  await sim.next('r-wang', '网格员会尽快联系您');
  const alert = await sim.next('w-zhao', `【回访】单号 ${no}`);
  expect(alert.text).toContain(`处理 ${no} 记时`);

  await sim.say(volunteer, `处理 ${no} 记时`);
  await sim.next(volunteer, '只有网格员和社区书记可以处理回访');
  await sim.say('w-zhao', `处理 ${no}`);
  await sim.next('w-zhao', `处理 ${no} 记时 已回访属实`);
  expect((await order(no)).status).toBe('disputed');

  await sim.say('w-zhao', `处理 ${no} 不记时 志愿者没来，已致歉`);
  await sim.next('w-zhao', `已处理单号 ${no}：不计时长`);
  await sim.next('r-wang', `${no} 的情况，网格员已经回访处理完了`);
  await sim.next(volunteer, `单号 ${no} 经网格员回访，这次服务不计时长`);
  const settled = await order(no);
  expect(settled).toMatchObject({ status: 'confirmed', hours: 0 });
  expect(await getEntries(t.service.db, { orderId: settled.id })).toEqual([]);
  const { rows } = await t.service.db.query(`SELECT status, note, closed_by FROM followups WHERE order_id = $1`, [settled.id]);
  expect(rows).toEqual([{ status: 'closed', note: '志愿者没来,已致歉', closed_by: 'w-zhao' }]);
  const { rows: reliability } = await t.service.db.query<{ no_shows: number }>(`SELECT no_shows FROM volunteers WHERE person_id = $1`, [volunteer]);
  expect(reliability[0]!.no_shows).toBeGreaterThan(0);

  await sim.say('w-zhao', `处理 ${no} 记时`);
  await sim.next('w-zhao', `单号 ${no} 不在回访中`);
});

test('记时 with corrected hours: the held hours are credited once', async () => {
  const { no, volunteer } = await served('r-chen', '明天下午想请人陪我聊聊天', '2');
  await sim.say('r-chen', '2分 来晚了');
  await sim.next('s-sun', `【回访】单号 ${no}`);
  await sim.say('s-sun', `处理 ${no} 记时 1.5小时 已回访，服务属实`);
  await sim.next('s-sun', `已处理单号 ${no}：计 1.5 小时`);
  await sim.next(volunteer, `单号 ${no} 回访已处理，1.5 小时计入您的时间银行`);
  const settled = await order(no);
  expect(settled).toMatchObject({ status: 'rated', hours: 1.5 });
  expect((await getEntries(t.service.db, { orderId: settled.id })).map((e) => e.hours).sort()).toEqual([-1.5, 1.5]);
});

test('a complaint after the hours were credited: 不记时 reverses them with a compensating entry', async () => {
  const { no, volunteer } = await served('r-yang', '后天上午家里要打扫一下卫生', '2');
  const before = await getBalance(t.service.db, volunteerAccount(volunteer));
  await sim.say('r-yang', '确认');
  await sim.next('r-yang', `单号 ${no} 已确认完成`);
  expect(await getBalance(t.service.db, volunteerAccount(volunteer))).toBe(before + 2);
  await sim.say('r-yang', '1 其实没打扫干净，不满意');
  await sim.next('w-zhao', `【回访】单号 ${no}`);
  expect((await order(no)).status).toBe('disputed');

  await sim.say('w-zhao', `处理 ${no} 不记时 复核后确实没有打扫`);
  await sim.next(volunteer, '不计时长');
  const entries = await getEntries(t.service.db, { orderId: (await order(no)).id });
  expect(entries.map((e) => e.reason)).toEqual(['service', 'service', 'reversal', 'reversal']);
  expect(entries.reduce((sum, e) => sum + e.hours, 0)).toBe(0);
  expect(await getBalance(t.service.db, volunteerAccount(volunteer))).toBe(before);
});
