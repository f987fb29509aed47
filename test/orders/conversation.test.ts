import path from 'node:path';
import { loadFlows } from '../../src/chat/conversation/flow';
import { startSession, step, type Session, type StepContext, type StepResult } from '../../src/chat/conversation/step';
import { loadCatalogue, type Person } from '../../src/directory';
import { withCatalogueWords } from '../../src/orders/domain/intake';
import { createOrderSlots, type AddressValue, type WhenValue } from '../../src/orders/intake';

// The order flow (flows/order.yaml) played through the conversation engine with the order feature's slot types.
const catalogue = loadCatalogue();
const slots = createOrderSlots({ catalogue, terms: withCatalogueWords(catalogue) });
const flow = loadFlows([path.join(__dirname, '..', '..', 'src', 'orders', 'flows')], { slots: slots.map((s) => s.name), actions: ['submit_order'] }).order!;
const NOW = new Date('2026-06-04T02:00:00Z'); // Thursday 10:00 in Shanghai

const nobody: Person = { id: 'r1', name: '王秀英', role: 'resident', communityId: 'c1', gridId: null, phone: null, address: null, building: null, lat: null, lng: null };
function ctx(over: Partial<StepContext<Person>> = {}): StepContext<Person> {
  return { now: NOW, person: nobody, slots: new Map(slots.map((s) => [s.name, s])), idleMinutes: 30, ...over };
}
const savedCtx = ctx({ person: { ...nobody, address: '3号楼2单元301', building: '3', phone: '13800001111' } });
const draft = (r: StepResult) => (r.session?.values ?? {}) as { category?: string; when?: WhenValue; address?: AddressValue; phone?: string };

/** Play a conversation and return every reply and the last result. */
function play(first: string, answers: string[], c = ctx()) {
  let result = startSession(flow, first, c);
  const replies = [...result.replies];
  for (const answer of answers) {
    if (!result.session) break;
    result = step(flow, result.session, answer, c);
    replies.push(...result.replies);
  }
  return { result, replies };
}

test.each([
  // first message, answers, the step asked last (or the action)
  ['厨房的灯坏了', [], 'when'],
  ['厨房的灯坏了，明天上午九点半', [], 'address'],
  ['厨房的灯坏了，明天上午九点半', ['5号楼1单元502'], 'phone'],
  ['厨房的灯坏了，明天上午九点半', ['5号楼1单元502', '13912345678'], 'confirm'],
  ['厨房的灯坏了，明天上午九点半，5号楼1单元502，电话13912345678', [], 'confirm'],
  ['厨房的灯坏了，明天上午九点半，5号楼1单元502，电话13912345678', ['确认'], 'submit_order'],
  ['明天上午九点半能来个人吗', [], 'category'],
  ['明天上午九点半能来个人吗', ['灯坏了要修'], 'address'],
  ['厨房的灯坏了', ['越快越好'], 'address'],
  ['厨房的灯坏了', ['嗯嗯'], 'when'],
])('%s + %j → %s', (first, answers, expected) => {
  const { result } = play(first, answers);
  expect(result.action ?? result.session?.stepId).toBe(expected);
});

test('a saved address and phone are offered, not asked again', () => {
  const { result, replies } = play('水管漏水了 明天下午三点', ['是'], savedCtx);
  expect(replies[0]).toContain('还是去 3号楼2单元301');
  expect(result.session?.stepId).toBe('confirm');
  expect(draft(result).phone).toBe('13800001111');
  expect(draft(result).address?.text).toBe('3号楼2单元301');
});

test('a new address instead of the saved one is taken', () => {
  const { result } = play('水管漏水了 明天下午三点', ['不是，在8号楼2单元602'], savedCtx);
  expect(draft(result).address?.text).toBe('8号楼2单元602');
});

test('the read-back names category, time, address and phone', () => {
  const { replies } = play('厨房的灯坏了，明天上午九点半，5号楼1单元502，电话13912345678', []);
  const readBack = replies.at(-1)!;
  expect(readBack).toContain('家居维修');
  expect(readBack).toContain('6月5日 09:30');
  expect(readBack).toContain('5号楼1单元502');
  expect(readBack).toContain('13912345678');
});

test('at the read-back, a new time replaces the old one and is read back again', () => {
  const { result, replies } = play('厨房的灯坏了，明天上午九点半，5号楼1单元502，电话13912345678', ['改成后天下午两点']);
  expect(result.session?.stepId).toBe('confirm');
  expect(replies.at(-1)).toContain('6月6日 14:00');
});

test('取消 leaves at any step and says so', () => {
  const { result, replies } = play('厨房的灯坏了', ['取消']);
  expect(result.session).toBeNull();
  expect(result.action).toBeNull();
  expect(replies.at(-1)).toBe(flow.messages.cancelled);
});

test('after 30 minutes of silence the draft is kept and the person is told', () => {
  const start = startSession(flow, '厨房的灯坏了', ctx());
  const later = ctx({ now: new Date(NOW.getTime() + 31 * 60_000) });
  const result = step(flow, start.session as Session, '明天上午', later);
  expect(result.replies[0]).toBe(flow.messages.resumed);
  expect(draft(result).category).toBe('home_repair');
});

test('an answer it cannot read keeps everything entered and asks again', () => {
  const { result, replies } = play('厨房的灯坏了，明天上午九点半', ['？？？']);
  expect(result.session?.stepId).toBe('address');
  expect(draft(result).when?.date).toBe('2026-06-05');
  expect(replies.at(-1)).toContain('地址没认出来');
});
