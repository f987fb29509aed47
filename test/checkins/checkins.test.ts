import { fromLocal } from '../../src/kernel/shanghai-time';
import { needsServer } from '../support/needs-server';
import { untilDrained } from '../support/queues';
import { startTestService, testWorld, type TestService } from '../support/service';
import { eventually, simClient, type SimMessage } from '../support/sim';

// 每日两碰头 on the real Redis, BullMQ and database. The clock the service decides by is controlled;
// nudges and summaries come 6 s and 12 s after the slot through real delayed jobs (room for a busy CI machine).
const world = testWorld('checkins');
const env = { ...world.env, CHECKIN_SCHEDULE: 'false', CHECKIN_NUDGE_MINUTES: '0.1', CHECKIN_SUMMARY_MINUTES: '0.2' };
let clock = fromLocal(2026, 6, 4, 8, 30); // a Thursday
const now = () => clock;
let a: TestService;
let sim: ReturnType<typeof simClient>;

const WORKERS = 'room-dongbeicun-workers';
const G1 = 'room-dongbeicun-g1';
const G2 = 'room-dongbeicun-g2';

beforeAll(async () => {
  a = await startTestService(env, { now });
  sim = simClient(a);
});
afterAll(async () => {
  await a?.stop();
  await world.cleanup();
});

const prompts = (messages: SimMessage[]) => messages.filter((m) => /^【.*(早|晚)碰头】/.test(m.text));
const nudges = (messages: SimMessage[]) => messages.filter((m) => m.text.includes('还没收到您的碰头回复'));

test('a morning: prompts in every room, replies, items, nudges naming the silent, and a summary that matches the API', async () => {
  await a.service.checkins.tick(clock);
  await a.service.checkins.tick(clock); // a second tick in the same minute changes nothing
  for (const room of [WORKERS, G1, G2]) expect(prompts(await sim.all(room))).toHaveLength(1);
  expect(prompts(await sim.all('room-xibeicun-workers'))).toHaveLength(0); // its morning slot is at 09:00

  await sim.say('w-zhao', '碰头 正常', WORKERS);
  await sim.say('bl-tan', '需求：3号楼有位独居老人需要人帮忙买药', G1);
  const needAck = await sim.next(G1, '需求清单');
  const needNo = /编号\s*#?(\d+)/.exec(needAck.text)![1]!;
  await sim.say('bl-zhou', '隐患：2号楼楼道堆放杂物（较大）', G1);
  await sim.next(G1, '隐患');
  await sim.say('bl-zheng', '今天没啥事，大家辛苦', G2);
  await sim.next(G2, '已记下您的碰头'); // the hint about the format; still a check-in

  const nudgeWorkers = await eventually(async () => nudges(await sim.all(WORKERS))[0], 20_000, 'the nudge');
  expect(nudgeWorkers.mentions).toEqual(['w-liu']);
  expect((await eventually(async () => nudges(await sim.all(G1))[0], 20_000, 'the G1 nudge')).mentions).toEqual(['bl-wu']);
  expect((await eventually(async () => nudges(await sim.all(G2))[0], 20_000, 'the G2 nudge')).mentions).toEqual(['bl-feng']);

  const summary = await sim.next('s-sun', '早碰头', 30_000);
  const api = (await a.http.get('/api/checkins').query({ community: 'dongbeicun', date: '2026-06-04' })).body as {
    slot: string;
    room: string;
    expected: { id: string; answeredAt: string | null }[];
  }[];
  const morning = api.filter((s) => s.slot === 'morning');
  expect(morning.map((s) => s.room).sort()).toEqual([G1, G2, WORKERS]);
  const answered = morning.flatMap((s) => s.expected.filter((e) => e.answeredAt).map((e) => e.id)).sort();
  const silent = morning.flatMap((s) => s.expected.filter((e) => !e.answeredAt).map((e) => e.id)).sort();
  expect(answered).toEqual(['bl-tan', 'bl-zheng', 'bl-zhou', 'w-zhao']);
  expect(silent).toEqual(['bl-feng', 'bl-wu', 'w-liu']);
  for (const name of ['刘海涛', '吴秀兰', '冯桂芝']) expect(summary.text).toContain(name);
  expect(summary.text).toContain(`#${needNo}`);
  expect(summary.text).toContain('较大');
  // Nudge and summary happen once each: asserted once every check-in job has run.
  await untilDrained(a.config, ['checkins']);
  for (const room of [WORKERS, G1, G2]) expect(nudges(await sim.all(room))).toHaveLength(1);
  expect((await sim.all('s-sun')).filter((m) => m.text.includes('早碰头'))).toHaveLength(1);
});

test('销号 closes an item, 转单 turns a need into a real order that gets offered, and a 重大 risk reaches the secretary at once', async () => {
  await sim.say('bl-wu', '需求：5号楼有老人想找人陪着去医院复查', G1);
  const no = /编号\s*#?(\d+)/.exec((await sim.next(G1, '需求清单')).text)![1]!;
  await sim.say('w-zhao', `转单 ${no}`, G1);
  const converted = await sim.next(G1, '单号');
  const orderNo = /单号\s*(\d{6})/.exec(converted.text)![1]!;
  const order = await eventually(async () => {
    const res = await a.http.get(`/api/orders/${orderNo}`);
    return res.body.status === 'offered' && res.body.candidates.length > 0 ? res.body : null;
  });
  expect(order.category).toBe('medical_escort');
  await sim.say('w-zhao', `转单 ${no}`, G1);
  expect((await sim.next(G1)).text).toContain(no);

  const risks = (await a.http.get('/api/risks').query({ community: 'dongbeicun', status: 'open' })).body as { no: string }[];
  await sim.say('w-zhao', `销号 ${risks[0]!.no} 杂物已清走`, G1);
  await sim.next(G1, risks[0]!.no);
  const closed = (await a.http.get('/api/risks').query({ community: 'dongbeicun', status: 'closed' })).body as { no: string; note: string }[];
  expect(closed).toEqual([expect.objectContaining({ no: risks[0]!.no, note: '杂物已清走' })]);

  await sim.say('bl-tan', '隐患：1号楼配电箱冒烟有焦味（重大）', G1);
  await sim.next('s-sun', '重大');
});

test('a restart between the slot and the nudge neither loses nor doubles anything', async () => {
  clock = fromLocal(2026, 6, 4, 17, 30);
  await a.service.checkins.tick(clock);
  for (const room of [WORKERS, G1, G2]) expect(prompts(await sim.all(room))).toHaveLength(2); // morning + evening
  await a.stop();
  a = await startTestService(env, { now });
  sim = simClient(a);
  await a.service.checkins.tick(clock); // the restarted service catches up: nothing left to send
  await sim.next('s-sun', '6月4日 晚碰头', 30_000);
  await untilDrained(a.config, ['checkins']);
  for (const room of [WORKERS, G1, G2]) {
    expect(prompts(await sim.all(room))).toHaveLength(2);
    expect(nudges(await sim.all(room))).toHaveLength(2);
  }
  expect((await sim.all('s-sun')).filter((m) => m.text.includes('晚碰头'))).toHaveLength(1);
});

test('a service (re)started after the slot, inside its window, sends the prompt it would have missed, once', async () => {
  // The window is slot + summary delay: 12 s here, 60 minutes in production (a restart at 08:31 still prompts).
  clock = new Date(fromLocal(2026, 6, 5, 8, 30).getTime() + 1000);
  await a.stop();
  a = await startTestService({ ...env, CHECKIN_SCHEDULE: 'true' }, { now });
  sim = simClient(a);
  const friday = (await a.http.get('/api/checkins').query({ community: 'dongbeicun', date: '2026-06-05' })).body as { slot: string; promptedAt: string }[];
  expect(friday.map((s) => s.slot)).toEqual(['morning', 'morning', 'morning']);
  expect(friday.every((s) => s.promptedAt)).toBe(true);
  await a.service.checkins.tick(clock);
  for (const room of [WORKERS, G1, G2]) expect(prompts(await sim.all(room))).toHaveLength(3); // Thursday ×2 + Friday morning
});

needsServer('two replicas of the service share one database; PGlite cannot open its data directory twice')('two replicas ticking the same slot send each message once', async () => {
  await untilDrained(a.config, ['checkins']); // Friday morning's nudges and summary are out before counting
  const before = new Map<string, { prompts: number; nudges: number }>();
  for (const room of [WORKERS, G1, G2]) before.set(room, { prompts: prompts(await sim.all(room)).length, nudges: nudges(await sim.all(room)).length });
  clock = fromLocal(2026, 6, 5, 17, 30);
  const b = await startTestService(env, { now });
  try {
    await Promise.all([a.service.checkins.tick(clock), b.service.checkins.tick(clock), a.service.checkins.tick(clock)]);
    for (const room of [WORKERS, G1, G2]) expect(prompts(await sim.all(room))).toHaveLength(before.get(room)!.prompts + 1);
    await sim.next('s-sun', '6月5日 晚碰头', 30_000);
    await untilDrained(a.config, ['checkins']); // both replicas' workers take check-in jobs
    for (const room of [WORKERS, G1, G2]) {
      expect(prompts(await sim.all(room))).toHaveLength(before.get(room)!.prompts + 1);
      expect(nudges(await sim.all(room))).toHaveLength(before.get(room)!.nudges + 1);
    }
    expect((await sim.all('s-sun')).filter((m) => m.text.includes('6月5日 晚碰头'))).toHaveLength(1);
  } finally {
    await b.stop();
  }
});

test('rest days and holidays send nothing', async () => {
  await a.service.db.query(`UPDATE communities SET settings = jsonb_set(settings, '{checkins,restDays}', '[6]') WHERE id = 'dongbeicun'`);
  const before = (await sim.all(WORKERS)).length;
  await a.service.checkins.tick(fromLocal(2026, 6, 6, 8, 35)); // Saturday
  await a.service.checkins.tick(fromLocal(2026, 10, 1, 8, 35)); // National Day, in the holiday list
  expect((await sim.all(WORKERS)).length).toBe(before);
});

test('the admin API fires a slot once unless forced, and exports the lists as CSV for Excel', async () => {
  clock = fromLocal(2026, 6, 5, 12, 0);
  const first = await a.http.post('/api/checkins/run').send({ community: 'xibeicun', slot: 'morning', tier: 'workers' });
  expect(first.body.prompted).toEqual(['room-xibeicun-workers']);
  const again = await a.http.post('/api/checkins/run').send({ community: 'xibeicun', slot: 'morning', tier: 'workers' });
  expect(again.body).toEqual({ prompted: [], alreadySent: ['room-xibeicun-workers'] });
  const forced = await a.http.post('/api/checkins/run').send({ community: 'xibeicun', slot: 'morning', tier: 'workers', force: true });
  expect(forced.body.prompted).toEqual(['room-xibeicun-workers']);
  expect((await a.http.post('/api/checkins/run').send({ community: 'nowhere', slot: 'noon', tier: 'workers' })).status).toBe(400);

  const csv = await a.http.get('/api/needs').query({ community: 'dongbeicun', format: 'csv' }).buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
  });
  expect(csv.headers['content-type']).toMatch(/text\/csv/);
  const text = csv.body as string;
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text.split('\r\n')[0]).toContain('编号');
  expect(text).toContain('独居老人需要人帮忙买药');

  const needs = (await a.http.get('/api/needs').query({ community: 'dongbeicun', status: 'open' })).body as { no: string }[];
  const patched = await a.http.patch(`/api/needs/${needs[0]!.no}`).send({ owner: 'w-liu' });
  expect(patched.body.ownerId).toBe('w-liu');
  expect((await a.http.patch('/api/needs/999999').send({ status: 'closed' })).status).toBe(404);
});
