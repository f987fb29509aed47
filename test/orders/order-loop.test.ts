import { getBalance, getEntries } from '../../src/orders/ledger';
import { startTestService, testWorld, type TestService } from '../support/service';
import { eventually, simClient } from '../support/sim';

// The whole loop through the simulator's HTTP API, on the real Redis, BullMQ and database.
const world = testWorld('loop');
let t: TestService;
let sim: ReturnType<typeof simClient>;

beforeAll(async () => {
  t = await startTestService(world.env);
  sim = simClient(t);
});
afterAll(async () => {
  await t?.stop();
  await world.cleanup();
});

const RESIDENT = 'r-wang';
const RESIDENT_PHONE_DIGITS = /(?<!\d)1[3-9]\d{9}(?!\d)/;

async function residentPhone(): Promise<string> {
  const { rows } = await t.service.db.query<{ phone: string }>('SELECT phone FROM people WHERE id = $1', [RESIDENT]);
  return rows[0]!.phone;
}

async function orderNoFrom(text: string): Promise<string> {
  const m = /单号 (\d{6})/.exec(text);
  if (!m) throw new Error(`no order number in: ${text}`);
  return m[1]!;
}

test('free text → questions → confirm → offer → claim → complete → rating → ledger entry', async () => {
  await sim.say(RESIDENT, '卫生间的下水管堵住了，后天下午两点能不能找个师傅来通一通');
  // r-wang has a saved address: the bot offers it instead of asking.
  const askSaved = await sim.next(RESIDENT, '还是去');
  expect(askSaved.text).toContain('3号楼');
  await sim.say(RESIDENT, '是');
  const readBack = await sim.next(RESIDENT, '请核对');
  expect(readBack.text).toContain('家居维修');
  expect(readBack.text).toMatch(/14:00/);
  await sim.say(RESIDENT, '确认');
  const submitted = await sim.next(RESIDENT, '已为您下单');
  const no = await orderNoFrom(submitted.text);

  const offered = await eventually(async () => {
    const res = await t.http.get(`/api/orders/${no}`);
    return res.body.status === 'offered' && res.body.candidates.length > 0 ? res.body : null;
  }, 15_000, 'the order to be offered');
  expect(offered.candidates[0].parts).toEqual(
    expect.objectContaining({ skill: expect.any(Number), distance: expect.any(Number), availability: expect.any(Number), load: expect.any(Number), reliability: expect.any(Number), fairness: expect.any(Number) }),
  );

  // The group post: category, area, time and number; never the resident's name, phone or house number.
  const rooms = await eventually(async () => {
    const { rows } = await t.service.db.query<{ room_id: string }>('SELECT room_id FROM order_rooms WHERE order_id = $1', [offered.id]);
    return rows.length > 0 ? rows : null;
  }, 15_000, 'the offer in a team room');
  const room = rooms[0]!.room_id;
  const post = await sim.next(room, `单号 ${no}`);
  expect(post.text).toContain('家居维修');
  expect(post.text).not.toContain('王秀英');
  expect(post.text).not.toContain('301');
  expect(post.text).not.toContain(await residentPhone());

  // A member of that room who can do the job claims it in the group.
  const { rows: members } = await t.service.db.query<{ person_id: string }>(
    `SELECT m.person_id FROM room_members m JOIN volunteers v ON v.person_id = m.person_id
     JOIN order_candidates c ON c.volunteer_id = m.person_id AND c.order_id = $2
     WHERE m.room_id = $1 ORDER BY c.rank LIMIT 1`,
    [room, offered.id],
  );
  const volunteer = members[0]!.person_id;
  await sim.say(volunteer, `接单 ${no}`, room);
  const details = await sim.next(volunteer, '接单成功');
  expect(details.text).toContain('3号楼2单元301');
  expect(details.text).toContain(await residentPhone());
  const told = await sim.next(RESIDENT, '有人接了');
  expect(told.text).toMatch(/\d{3}\*{4}\d{4}/); // masked phone of the volunteer
  await sim.next(room, '已由');

  const claimed = (await t.http.get(`/api/orders/${no}`)).body;
  expect(claimed.status).toBe('claimed');
  expect(claimed.volunteerId).toBe(volunteer);

  await sim.say(volunteer, `完成 ${no} 1.5`);
  await sim.next(volunteer, '已完成');
  await sim.next(RESIDENT, '满意吗');
  await sim.say(RESIDENT, '5 师傅很细心');
  await sim.next(RESIDENT, '5 分');
  await sim.next(volunteer, '时间银行');

  const rated = (await t.http.get(`/api/orders/${no}`)).body;
  expect(rated.status).toBe('rated');
  expect(rated.rating).toBe(5);
  expect(rated.history.map((h: { to: string }) => h.to)).toEqual(['submitted', 'offered', 'claimed', 'done', 'rated']);
  expect(await getBalance(t.service.db, `volunteer:${volunteer}`)).toBe(1.5);
  const entries = await getEntries(t.service.db, { orderId: rated.id });
  expect(entries.reduce((sum, e) => sum + e.hours, 0)).toBe(0); // double entry: the transaction balances
});

test('a poor rating opens a follow-up and holds the hours', async () => {
  const resident = 'r-chen';
  await sim.say(resident, '想请人下周三上午帮我把阳台的旧柜子搬下楼');
  await sim.next(resident, '还是去');
  await sim.say(resident, '是');
  await sim.next(resident, '请核对');
  await sim.say(resident, '确认');
  const no = await orderNoFrom((await sim.next(resident, '已为您下单')).text);
  const order = await eventually(async () => {
    const res = await t.http.get(`/api/orders/${no}`);
    return res.body.status === 'offered' && res.body.candidates.length > 0 ? res.body : null;
  });
  const volunteer = order.candidates[0].volunteerId as string;
  await sim.say(volunteer, `抢单 ${no}`);
  await sim.next(volunteer, '接单成功');
  await sim.say(volunteer, `完成 ${no}`);
  await sim.next(resident, '满意吗');
  await sim.say(resident, '2 来晚了还没弄完');
  await sim.next(resident, '回访');
  const disputed = (await t.http.get(`/api/orders/${no}`)).body;
  expect(disputed.status).toBe('disputed');
  expect(await getEntries(t.service.db, { orderId: disputed.id })).toEqual([]);
  const { rows } = await t.service.db.query('SELECT worker_id FROM followups WHERE order_id = $1', [disputed.id]);
  expect(rows).toEqual([{ worker_id: 'w-liu' }]);
  await sim.next('w-liu', `单号 ${no}`);
});

test('unknown command, unknown order number and a claim of a cancelled order get clear Chinese answers', async () => {
  await sim.say('v-li', '巴拉巴拉 xyz');
  const hint = await sim.next('v-li', '没看懂');
  expect(hint.text).toMatch(/[\u4e00-\u9fa5]/);
  expect(hint.text).not.toMatch(/undefined|null|Error|at \w+ \(/);

  await sim.say('v-li', '接单 999999');
  expect((await sim.next('v-li', '999999')).text).toContain('没有找到单号 999999');

  await sim.say('r-yang', '明天下午三点想找人教我用手机视频通话');
  await sim.next('r-yang', '还是去');
  await sim.say('r-yang', '是');
  await sim.next('r-yang', '请核对');
  await sim.say('r-yang', '确认');
  const no = await orderNoFrom((await sim.next('r-yang', '已为您下单')).text);
  await sim.say('r-yang', `取消 ${no}`);
  await sim.next('r-yang', '已取消');
  await sim.say('v-li', `接单 ${no}`);
  expect((await sim.next('v-li', no)).text).toContain('已经取消');
});

test('an emergency is answered at once, staff are alerted and every nearby volunteer is offered', async () => {
  await sim.say('r-wang', '老伴在厨房突然晕过去了，叫也叫不醒');
  const first = await sim.next('r-wang');
  expect(first.text).toContain('120');
  const no = await orderNoFrom((await sim.next('r-wang', '紧急求助单号')).text);
  await sim.next('w-zhao', `【紧急】单号 ${no}`);
  await sim.next('s-sun', `【紧急】单号 ${no}`);
  const order = await eventually(async () => {
    const res = await t.http.get(`/api/orders/${no}`);
    return res.body.status === 'offered' && res.body.candidates.length > 0 ? res.body : null;
  });
  expect(order.urgent).toBe(true);
  const { rows } = await t.service.db.query('SELECT volunteer_id FROM order_candidates WHERE order_id = $1 AND offered_privately', [order.id]);
  expect(rows.length).toBeGreaterThan(5); // everyone inside the circle, not just the top few

  // Someone without a saved address is asked where they are; the next message completes the order.
  await sim.say('r-ma', '救命，家里着火了');
  await sim.next('r-ma', '119');
  const asked = await sim.next('r-ma', '您在哪里');
  const maNo = await orderNoFrom(asked.text);
  await sim.say('r-ma', '我在10号楼1单元101');
  await sim.next('r-ma', `单号 ${maNo}`);
  const { rows: addr } = await t.service.db.query<{ address: string }>('SELECT address FROM orders WHERE no = $1', [maNo]);
  expect(addr[0]!.address).toBe('10号楼1单元101');
});

test('nothing written to group rooms, logs or queue payloads holds a resident phone or house number', async () => {
  const { rows: residents } = await t.service.db.query<{ phone: string | null; address: string | null }>(
    `SELECT phone, address FROM people WHERE role = 'resident' AND (phone IS NOT NULL OR address IS NOT NULL)`,
  );
  const secrets = residents.flatMap((r) => [r.phone, r.address?.replace(/^\d+号楼/, '')]).filter((s): s is string => !!s && s.length >= 3);
  expect(secrets.length).toBeGreaterThan(4);
  const { rows: posts } = await t.service.db.query<{ text: string }>(`SELECT text FROM messages WHERE room_id IS NOT NULL AND direction = 'out'`);
  expect(posts.length).toBeGreaterThan(0);
  const redisDump: string[] = [];
  for (const key of await t.service.redis.keys(`${t.config.queuePrefix}:*`)) {
    const type = await t.service.redis.type(key);
    if (type === 'hash') redisDump.push(JSON.stringify(await t.service.redis.hgetall(key)));
    if (type === 'string' && !key.includes(':conv:')) redisDump.push((await t.service.redis.get(key)) ?? '');
  }
  for (const secret of secrets) {
    for (const text of [...posts.map((p) => p.text), ...t.logs, ...redisDump]) expect(text.includes(secret) ? `${secret} in ${text}` : '').toBe('');
  }
  expect(t.logs.join('\n')).not.toMatch(RESIDENT_PHONE_DIGITS);
});
