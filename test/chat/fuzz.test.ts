import fc from 'fast-check';
import { startTestService, testWorld, type TestService } from '../support/service';
import { eventually } from '../support/sim';

// 10,000 generated chat messages from random people, privately and in their rooms: nothing crashes,
// nothing is left unhandled, and every answer to a person is a plain Chinese sentence.
const world = testWorld('fuzz');
let t: TestService;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => void rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  t = await startTestService({ ...world.env, LOG_LEVEL: 'warn' });
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await t?.stop();
  await world.cleanup();
});

const MESSAGES = 10_000;
/** Enough parallel senders to race per-person locks, few enough to leave the other test files some CPU. */
const CONCURRENCY = 8;
const HOSTILE = [
  "'; DROP TABLE orders; --",
  '1 OR 1=1',
  '${process.exit(1)}',
  '{{7*7}}',
  '{category}{phone}{address}',
  '<script>alert(1)</script>',
  '\u0000\u0001\u202e反转',
  '接单 12',
  '接单 1234567',
  '完成 abc 99',
  '完成 123456 -5',
  '完成 123456 100',
  '派单 999999 @不存在的人',
  '取消 000000',
  '销号 abc',
  '转单 99999999999999999999',
  '隐患：（重大）',
  '需求：',
  '0',
  '6 很好',
  '５ 很好',
  '确认',
  '是',
  '不是',
];

const text = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('😀🙏🔥', '👨‍👩‍👧‍👦', '🇨🇳🇨🇳🇨🇳'),
  fc.string({ unit: fc.constantFrom(...'水管灯坏了明天下午三点医院陪我买药着火摔倒接单完成帮助进度取消１２３号楼单元'.split('')), maxLength: 30 }),
  fc.integer({ min: 100, max: 4000 }).map((n) => '帮'.repeat(n)),
  fc.tuple(fc.constantFrom('接单', '完成', '到达', '放弃', '取消', '派单', '销号', '转单'), fc.integer({ min: -10, max: 10_000_000 })).map(([c, n]) => `${c} ${n}`),
);

test('10,000 generated messages: zero crashes, zero unhandled rejections, only Chinese answers', async () => {
  const people = (await t.http.get('/sim/people')).body as { id: string }[];
  const rooms = (await t.http.get('/sim/rooms')).body as { id: string; members: string[] }[];
  const messages = fc.sample(
    fc.record({ person: fc.constantFrom(...people.map((p) => p.id)), text, inRoom: fc.boolean() }),
    { numRuns: MESSAGES, seed: 20261128 },
  );
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < messages.length) {
        const m = messages[next++]!;
        const room = m.inRoom ? rooms.find((r) => r.members.includes(m.person))?.id : undefined;
        const res = await t.http.post('/sim/messages').send({ from: m.person, text: m.text, ...(room ? { room } : {}) });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  expect(t.logs.filter((l) => JSON.parse(l).level >= 50).slice(0, 3)).toEqual([]);
  expect([...statuses.keys()].filter((s) => s !== 202 && s !== 400)).toEqual([]); // 400: empty text after trimming
  const accepted = statuses.get(202) ?? 0;
  expect(accepted).toBeGreaterThan(MESSAGES * 0.9);

  await eventually(
    async () => {
      const { rows } = await t.service.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'in' AND status = 'done'`);
      return rows[0]!.n === accepted;
    },
    240_000,
    'every accepted message to be handled',
  );
  expect(rejections).toEqual([]);
  expect(t.logs.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);

  const { rows: answers } = await t.service.db.query<{ text: string }>(`SELECT text FROM messages WHERE direction = 'out' AND person_id IS NOT NULL`);
  expect(answers.length).toBeGreaterThan(1000);
  const bad = answers.filter((a) => !/[\u4e00-\u9fa5]/.test(a.text) || /undefined|NaN|\[object|Error|\bat \S+ \(|null/.test(a.text));
  expect(bad.slice(0, 5)).toEqual([]);
  expect((await t.http.get('/healthz')).status).toBe(200);
}, 300_000);
