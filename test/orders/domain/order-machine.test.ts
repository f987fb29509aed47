import {
  DEFAULT_ORDER_RULES,
  needsVolunteer,
  transition,
  type NoticeKey,
  type OrderEffect,
  type OrderEvent,
  type RefusalReason,
  type TransitionContext,
} from '../../../src/orders/domain/order-machine.js';
import type { Order } from '../../../src/orders/domain/types.js';

const NOW = new Date('2026-06-04T01:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

function makeOrder(over: Partial<Order> = {}): Order {
  return {
    id: 'o1',
    no: '123456',
    residentId: 'r1',
    createdBy: 'r1',
    communityId: 'c1',
    gridId: 'g1',
    category: 'home_repair',
    description: '水管漏水',
    urgent: false,
    wantedAt: '2026-06-04T07:00:00.000Z', // six hours after NOW
    plannedHours: 2,
    lat: 37.5,
    lng: 122.1,
    area: '幸福社区 3号楼附近',
    status: 'submitted',
    escalationLevel: 0,
    volunteerId: null,
    hours: null,
    rating: null,
    comment: null,
    autoConfirmed: false,
    credited: false,
    version: 3,
    ...over,
  };
}

/** A worker acting, and the volunteer the event names: registered, with skills, holding nothing. */
function ctx(event: OrderEvent, over: Partial<TransitionContext> = {}, rules = DEFAULT_ORDER_RULES): TransitionContext {
  const volunteerId = 'volunteerId' in event ? event.volunteerId : 'v1';
  return {
    rules,
    actor: { id: 'w1', permissions: ['order.assign', 'order.cancel_any', 'order.settle_dispute'] },
    volunteer: { id: volunteerId, skills: ['repair', 'electrical'], held: [] },
    requiredSkills: [],
    ...over,
  };
}
/** A resident acting: no staff permissions. */
const asResident = (event: OrderEvent) => ctx(event, { actor: { id: 'r2', permissions: [] } });
const settled = (key: 'dispute_approved' | 'dispute_rejected'): OrderEffect[] => [to('resident', key), to('volunteer', key)];
const closeFollowup = (note: string | null = null): OrderEffect => ({ type: 'close_followup', by: 's1', note });

const held = (status: Order['status'], over: Partial<Order> = {}) => makeOrder({ status, volunteerId: 'v1', ...over });
const finished = (status: Order['status'], over: Partial<Order> = {}) => held(status, { hours: 1.5, ...over });

const to = (audience: 'resident' | 'volunteer' | 'staff' | 'candidates', message: NoticeKey): OrderEffect => ({ type: 'notify', audience, message });
const dispatch = (level: 0 | 1 | 2, allNearby = false): OrderEffect => ({ type: 'dispatch', level, allNearby });
const escalation = (level: 1 | 2 | 3, minutes: number, atVersion = 4): OrderEffect => ({ type: 'schedule_escalation', level, delayMs: minutes * MIN, atVersion });
const credit = (hours: number): OrderEffect[] => [
  { type: 'credit_hours', volunteerId: 'v1', hours },
  { type: 'record_reliability', volunteerId: 'v1', kind: 'completed' },
];

type Expect = { status: Order['status']; changes?: Partial<Order>; effects: OrderEffect[] } | { reason: RefusalReason };
type Case = [name: string, order: Order, event: OrderEvent, expected: Expect];

const cases: Case[] = [
  // offer
  ['offer a new order', makeOrder(), { type: 'offer' }, { status: 'offered', changes: { escalationLevel: 0 }, effects: [dispatch(0), escalation(1, 10)] }],
  ['offer an emergency to everyone nearby', makeOrder({ category: 'emergency', urgent: true }), { type: 'offer' }, { status: 'offered', effects: [dispatch(0, true), escalation(1, 10)] }],
  ['re-offer an unclaimed order from level 0', makeOrder({ status: 'unclaimed', escalationLevel: 3 }), { type: 'offer' }, { status: 'offered', changes: { escalationLevel: 0 }, effects: [dispatch(0), escalation(1, 10)] }],
  ['offer twice', makeOrder({ status: 'offered' }), { type: 'offer' }, { reason: 'wrong_status' }],
  ['offer a cancelled order', makeOrder({ status: 'cancelled' }), { type: 'offer' }, { reason: 'not_open' }],
  // escalate
  ['escalate to the community', makeOrder({ status: 'offered' }), { type: 'escalate', level: 1, atVersion: 3 }, { status: 'offered', changes: { escalationLevel: 1 }, effects: [dispatch(1), escalation(2, 20)] }],
  ['escalate to the street', makeOrder({ status: 'offered', escalationLevel: 1 }), { type: 'escalate', level: 2 }, { status: 'offered', changes: { escalationLevel: 2 }, effects: [dispatch(2), escalation(3, 30)] }],
  ['escalation runs out', makeOrder({ status: 'offered', escalationLevel: 2 }), { type: 'escalate', level: 3 }, { status: 'unclaimed', changes: { escalationLevel: 3 }, effects: [to('staff', 'unclaimed'), to('resident', 'unclaimed')] }],
  ['escalate an emergency too', makeOrder({ status: 'offered', category: 'emergency' }), { type: 'escalate', level: 1 }, { status: 'offered', changes: { escalationLevel: 1 }, effects: [dispatch(1, true), escalation(2, 20)] }],
  ['skip straight to unclaimed', makeOrder({ status: 'offered' }), { type: 'escalate', level: 3 }, { status: 'unclaimed', changes: { escalationLevel: 3 }, effects: [to('staff', 'unclaimed'), to('resident', 'unclaimed')] }],
  ['duplicate escalation job', makeOrder({ status: 'offered', escalationLevel: 1 }), { type: 'escalate', level: 1 }, { reason: 'stale' }],
  ['escalation from before a release', makeOrder({ status: 'offered' }), { type: 'escalate', level: 1, atVersion: 1 }, { reason: 'stale' }],
  ['escalate a claimed order', held('claimed'), { type: 'escalate', level: 1 }, { reason: 'wrong_status' }],
  ['escalate a cancelled order', makeOrder({ status: 'cancelled' }), { type: 'escalate', level: 1 }, { reason: 'not_open' }],
  // claim
  ['claim an offered order', makeOrder({ status: 'offered' }), { type: 'claim', volunteerId: 'v1' }, { status: 'claimed', changes: { volunteerId: 'v1' }, effects: [to('volunteer', 'claimed'), to('resident', 'claimed'), to('candidates', 'claimed')] }],
  ['claim an unclaimed order', makeOrder({ status: 'unclaimed', escalationLevel: 3 }), { type: 'claim', volunteerId: 'v1' }, { status: 'claimed', changes: { volunteerId: 'v1', escalationLevel: 3 }, effects: [to('volunteer', 'claimed'), to('resident', 'claimed'), to('candidates', 'claimed')] }],
  ['claim an already claimed order', held('claimed'), { type: 'claim', volunteerId: 'v2' }, { reason: 'already_claimed' }],
  ['claim an order in service', held('in_service'), { type: 'claim', volunteerId: 'v2' }, { reason: 'already_claimed' }],
  ['claim before it is offered', makeOrder(), { type: 'claim', volunteerId: 'v1' }, { reason: 'not_claimable' }],
  ['claim a cancelled order', makeOrder({ status: 'cancelled' }), { type: 'claim', volunteerId: 'v1' }, { reason: 'not_claimable' }],
  ['claim a finished order', finished('done'), { type: 'claim', volunteerId: 'v2' }, { reason: 'not_claimable' }],
  ['claim a rated order', finished('rated'), { type: 'claim', volunteerId: 'v2' }, { reason: 'not_claimable' }],
  // assign
  ['assign a new order', makeOrder(), { type: 'assign', volunteerId: 'v1', by: 'w1' }, { status: 'claimed', changes: { volunteerId: 'v1' }, effects: [to('volunteer', 'assigned'), to('resident', 'assigned')] }],
  ['assign an unclaimed order', makeOrder({ status: 'unclaimed', escalationLevel: 3 }), { type: 'assign', volunteerId: 'v1', by: 'w1' }, { status: 'claimed', changes: { volunteerId: 'v1' }, effects: [to('volunteer', 'assigned'), to('resident', 'assigned'), to('candidates', 'claimed')] }],
  ['assign a claimed order', held('claimed'), { type: 'assign', volunteerId: 'v2', by: 'w1' }, { reason: 'already_claimed' }],
  ['assign a confirmed order', finished('confirmed'), { type: 'assign', volunteerId: 'v2', by: 'w1' }, { reason: 'not_claimable' }],
  // release
  ['release early', held('claimed'), { type: 'release', volunteerId: 'v1' }, { status: 'offered', changes: { volunteerId: null, escalationLevel: 0 }, effects: [to('resident', 'released'), dispatch(0), escalation(1, 10)] }],
  ['release exactly 2 h before: not late', held('claimed', { wantedAt: '2026-06-04T03:00:00.000Z' }), { type: 'release', volunteerId: 'v1' }, { status: 'offered', changes: { volunteerId: null }, effects: [to('resident', 'released'), dispatch(0), escalation(1, 10)] }],
  ['release late', held('claimed', { wantedAt: '2026-06-04T02:00:00.000Z', escalationLevel: 2 }), { type: 'release', volunteerId: 'v1' }, { status: 'offered', changes: { escalationLevel: 0, volunteerId: null }, effects: [to('resident', 'released'), dispatch(0), escalation(1, 10), { type: 'record_reliability', volunteerId: 'v1', kind: 'late_release' }] }],
  ['release an as-soon-as-possible order is late', held('claimed', { wantedAt: null }), { type: 'release', volunteerId: 'v1' }, { status: 'offered', changes: { volunteerId: null }, effects: [to('resident', 'released'), dispatch(0), escalation(1, 10), { type: 'record_reliability', volunteerId: 'v1', kind: 'late_release' }] }],
  ['release someone else’s order', held('claimed'), { type: 'release', volunteerId: 'v2' }, { reason: 'not_your_order' }],
  ['release an order nobody holds', makeOrder({ status: 'offered' }), { type: 'release', volunteerId: 'v1' }, { reason: 'not_your_order' }],
  ['release after arriving', held('in_service'), { type: 'release', volunteerId: 'v1' }, { reason: 'wrong_status' }],
  ['release a cancelled order', held('cancelled'), { type: 'release', volunteerId: 'v1' }, { reason: 'not_open' }],
  // arrive
  ['arrive', held('claimed'), { type: 'arrive', volunteerId: 'v1' }, { status: 'in_service', effects: [to('resident', 'arrived')] }],
  ['arrive at someone else’s order', held('claimed'), { type: 'arrive', volunteerId: 'v2' }, { reason: 'not_your_order' }],
  ['arrive twice', held('in_service'), { type: 'arrive', volunteerId: 'v1' }, { reason: 'wrong_status' }],
  // complete
  ['complete with hours', held('in_service'), { type: 'complete', volunteerId: 'v1', hours: 1.5 }, { status: 'done', changes: { hours: 1.5 }, effects: [to('resident', 'completed_ask_rating'), { type: 'schedule_auto_confirm', delayMs: 48 * HOUR }] }],
  ['complete without arriving, planned hours', held('claimed'), { type: 'complete', volunteerId: 'v1', hours: null }, { status: 'done', changes: { hours: 2 }, effects: [to('resident', 'completed_ask_rating'), { type: 'schedule_auto_confirm', delayMs: 48 * HOUR }] }],
  ['complete with the maximum', held('claimed'), { type: 'complete', volunteerId: 'v1', hours: 12 }, { status: 'done', changes: { hours: 12 }, effects: [to('resident', 'completed_ask_rating'), { type: 'schedule_auto_confirm', delayMs: 48 * HOUR }] }],
  ['complete with 0 hours', held('claimed'), { type: 'complete', volunteerId: 'v1', hours: 0 }, { reason: 'bad_hours' }],
  ['complete with negative hours', held('claimed'), { type: 'complete', volunteerId: 'v1', hours: -1 }, { reason: 'bad_hours' }],
  ['complete with too many hours', held('claimed'), { type: 'complete', volunteerId: 'v1', hours: 12.5 }, { reason: 'bad_hours' }],
  ['complete with NaN hours', held('claimed'), { type: 'complete', volunteerId: 'v1', hours: Number.NaN }, { reason: 'bad_hours' }],
  ['complete someone else’s order', held('in_service'), { type: 'complete', volunteerId: 'v2', hours: 1 }, { reason: 'not_your_order' }],
  ['complete twice', finished('done'), { type: 'complete', volunteerId: 'v1', hours: 1 }, { reason: 'wrong_status' }],
  ['complete a rated order', finished('rated'), { type: 'complete', volunteerId: 'v1', hours: 1 }, { reason: 'not_open' }],
  // rate
  ['rate 5: credit', finished('done'), { type: 'rate', stars: 5, comment: '很好', complaint: false }, { status: 'rated', changes: { rating: 5, comment: '很好' }, effects: [...credit(1.5), to('resident', 'rated_thanks'), to('volunteer', 'rated_thanks')] }],
  ['rate 3 without complaint: credit', finished('done'), { type: 'rate', stars: 3, comment: null, complaint: false }, { status: 'rated', changes: { rating: 3 }, effects: [...credit(1.5), to('resident', 'rated_thanks'), to('volunteer', 'rated_thanks')] }],
  ['rate 2: dispute', finished('done'), { type: 'rate', stars: 2, comment: '一般', complaint: false }, { status: 'disputed', changes: { rating: 2, comment: '一般', hours: 1.5 }, effects: [{ type: 'open_followup' }, to('staff', 'disputed'), to('resident', 'disputed')] }],
  ['rate 4 with a complaint: dispute', finished('done'), { type: 'rate', stars: 4, comment: '没修好', complaint: true }, { status: 'disputed', changes: { rating: 4, comment: '没修好' }, effects: [{ type: 'open_followup' }, to('staff', 'disputed'), to('resident', 'disputed')] }],
  ['rate 0 stars', finished('done'), { type: 'rate', stars: 0, comment: null, complaint: false }, { reason: 'bad_stars' }],
  ['rate 6 stars', finished('done'), { type: 'rate', stars: 6, comment: null, complaint: false }, { reason: 'bad_stars' }],
  ['rate 3.5 stars', finished('done'), { type: 'rate', stars: 3.5, comment: null, complaint: false }, { reason: 'bad_stars' }],
  ['rate after confirming: no second credit', finished('confirmed'), { type: 'rate', stars: 4, comment: null, complaint: false }, { status: 'rated', changes: { rating: 4 }, effects: [to('resident', 'rated_thanks')] }],
  ['rate low after confirming: the worker follows up and decides', finished('confirmed', { credited: true }), { type: 'rate', stars: 1, comment: '没来', complaint: true }, { status: 'disputed', changes: { rating: 1, comment: '没来' }, effects: [{ type: 'open_followup' }, to('staff', 'disputed'), to('resident', 'disputed')] }],
  ['rate after auto-confirmation', finished('confirmed', { autoConfirmed: true }), { type: 'rate', stars: 5, comment: null, complaint: false }, { reason: 'already_final' }],
  ['rate a resolved dispute again', finished('confirmed', { rating: 2 }), { type: 'rate', stars: 5, comment: null, complaint: false }, { reason: 'already_final' }],
  ['rate twice', finished('rated', { rating: 5 }), { type: 'rate', stars: 5, comment: null, complaint: false }, { reason: 'already_final' }],
  ['rate before completion', held('claimed'), { type: 'rate', stars: 5, comment: null, complaint: false }, { reason: 'wrong_status' }],
  ['rate a disputed order', finished('disputed', { rating: 1 }), { type: 'rate', stars: 5, comment: null, complaint: false }, { reason: 'wrong_status' }],
  // confirm and auto_confirm
  ['confirm', finished('done'), { type: 'confirm' }, { status: 'confirmed', changes: { autoConfirmed: false }, effects: [...credit(1.5), to('resident', 'confirmed'), to('volunteer', 'confirmed')] }],
  ['confirm twice', finished('confirmed'), { type: 'confirm' }, { reason: 'already_final' }],
  ['confirm a disputed order', finished('disputed', { rating: 1 }), { type: 'confirm' }, { reason: 'wrong_status' }],
  ['auto-confirm after 48 h', finished('done'), { type: 'auto_confirm' }, { status: 'confirmed', changes: { autoConfirmed: true, rating: null }, effects: [...credit(1.5), to('resident', 'auto_confirmed'), to('volunteer', 'auto_confirmed')] }],
  ['auto-confirm after the resident rated', finished('rated', { rating: 5 }), { type: 'auto_confirm' }, { reason: 'already_final' }],
  ['auto-confirm while disputed', finished('disputed', { rating: 1 }), { type: 'auto_confirm' }, { reason: 'wrong_status' }],
  // cancel
  ['cancel a new order', makeOrder(), { type: 'cancel', by: 'r1' }, { status: 'cancelled', effects: [to('resident', 'cancelled')] }],
  ['cancel an offered order', makeOrder({ status: 'offered' }), { type: 'cancel', by: 'r1' }, { status: 'cancelled', effects: [to('resident', 'cancelled'), to('candidates', 'cancelled')] }],
  ['cancel an unclaimed order', makeOrder({ status: 'unclaimed', escalationLevel: 3 }), { type: 'cancel', by: 'w1' }, { status: 'cancelled', effects: [to('resident', 'cancelled'), to('candidates', 'cancelled')] }],
  ['cancel a claimed order', held('claimed'), { type: 'cancel', by: 'r1' }, { status: 'cancelled', changes: { volunteerId: 'v1' }, effects: [to('resident', 'cancelled'), to('volunteer', 'cancelled')] }],
  ['cancel while in service', held('in_service'), { type: 'cancel', by: 'w1' }, { status: 'cancelled', effects: [to('resident', 'cancelled'), to('volunteer', 'cancelled')] }],
  ['cancel after completion', finished('done'), { type: 'cancel', by: 'r1' }, { reason: 'wrong_status' }],
  ['cancel a disputed order', finished('disputed', { rating: 1 }), { type: 'cancel', by: 'w1' }, { reason: 'wrong_status' }],
  ['cancel twice', makeOrder({ status: 'cancelled' }), { type: 'cancel', by: 'r1' }, { reason: 'not_open' }],
  // resolve_dispute: the hours held back are credited, or the order closes with none; credited hours are reversed
  ['approve with the recorded hours', finished('disputed', { rating: 1 }), { type: 'resolve_dispute', approve: true, hours: null, by: 's1' }, { status: 'rated', changes: { hours: 1.5, rating: 1, credited: true }, effects: [...credit(1.5), closeFollowup(), ...settled('dispute_approved')] }],
  ['approve with corrected hours', finished('disputed', { rating: 2 }), { type: 'resolve_dispute', approve: true, hours: 1, by: 's1', note: '已回访' }, { status: 'rated', changes: { hours: 1, credited: true }, effects: [...credit(1), closeFollowup('已回访'), ...settled('dispute_approved')] }],
  ['approve a complaint without stars', finished('disputed'), { type: 'resolve_dispute', approve: true, hours: null, by: 's1' }, { status: 'confirmed', changes: { hours: 1.5, credited: true }, effects: [...credit(1.5), closeFollowup(), ...settled('dispute_approved')] }],
  ['approve with too many hours', finished('disputed', { rating: 2 }), { type: 'resolve_dispute', approve: true, hours: 20, by: 's1' }, { reason: 'bad_hours' }],
  ['reject: closed with 0 hours, no credit', finished('disputed', { rating: 1 }), { type: 'resolve_dispute', approve: false, hours: null, by: 's1' }, { status: 'confirmed', changes: { hours: 0 }, effects: [closeFollowup(), ...settled('dispute_rejected')] }],
  ['reject as a no-show', finished('disputed', { rating: 1 }), { type: 'resolve_dispute', approve: false, hours: null, by: 's1', noShow: true }, { status: 'confirmed', changes: { hours: 0 }, effects: [closeFollowup(), ...settled('dispute_rejected'), { type: 'record_reliability', volunteerId: 'v1', kind: 'no_show' }] }],
  ['reject hours credited before the complaint', finished('disputed', { rating: 1, credited: true }), { type: 'resolve_dispute', approve: false, hours: null, by: 's1' }, { status: 'confirmed', changes: { hours: 0, credited: false }, effects: [{ type: 'reverse_hours', volunteerId: 'v1', hours: 1.5 }, closeFollowup(), ...settled('dispute_rejected')] }],
  ['approve credited hours as they were', finished('disputed', { rating: 2, credited: true }), { type: 'resolve_dispute', approve: true, hours: null, by: 's1' }, { status: 'rated', changes: { hours: 1.5 }, effects: [closeFollowup(), ...settled('dispute_approved')] }],
  ['approve credited hours, fewer of them', finished('disputed', { rating: 2, credited: true }), { type: 'resolve_dispute', approve: true, hours: 1, by: 's1' }, { status: 'rated', changes: { hours: 1 }, effects: [{ type: 'reverse_hours', volunteerId: 'v1', hours: 0.5 }, closeFollowup(), ...settled('dispute_approved')] }],
  ['resolve an order that is not disputed', finished('done'), { type: 'resolve_dispute', approve: true, hours: null, by: 's1' }, { reason: 'wrong_status' }],
  ['resolve twice', finished('confirmed', { rating: 1 }), { type: 'resolve_dispute', approve: true, hours: null, by: 's1' }, { reason: 'already_final' }],
];

describe('transition', () => {
  it.each(cases)('%s', (_name, order, event, expected) => {
    Object.freeze(order);
    const result = transition(order, event, ctx(event), NOW);
    if ('reason' in expected) {
      expect(result).toEqual({ ok: false, reason: expected.reason });
      return;
    }
    if (!result.ok) throw new Error(`refused: ${result.reason}`);
    // Every field the case does not name keeps its value; crediting marks the order credited.
    const credited = expected.effects.some((e) => e.type === 'credit_hours') ? { credited: true } : {};
    expect(result.order).toEqual({ ...order, ...credited, ...expected.changes, status: expected.status, version: order.version + 1 });
    expect(result.effects).toEqual(expected.effects);
  });

  it('derives escalation delays from configurable cumulative minutes', () => {
    const rules = { ...DEFAULT_ORDER_RULES, escalationMinutes: [5, 15, 45] as [number, number, number] };
    const offered = transition(makeOrder(), { type: 'offer' }, ctx({ type: 'offer' }, {}, rules), NOW);
    const first = transition(makeOrder({ status: 'offered' }), { type: 'escalate', level: 1 }, ctx({ type: 'offer' }, {}, rules), NOW);
    const second = transition(makeOrder({ status: 'offered', escalationLevel: 1 }), { type: 'escalate', level: 2 }, ctx({ type: 'offer' }, {}, rules), NOW);
    expect(offered.ok && offered.effects[1]).toEqual(escalation(1, 5));
    expect(first.ok && first.effects[1]).toEqual(escalation(2, 10));
    expect(second.ok && second.effects[1]).toEqual(escalation(3, 30));
  });

  it('uses the configured auto-confirm delay, maximum hours and late-release window', () => {
    const rules = { ...DEFAULT_ORDER_RULES, autoConfirmHours: 24, maxServiceHours: 4, lateReleaseHours: 8 };
    const done = transition(held('claimed'), { type: 'complete', volunteerId: 'v1', hours: 4 }, ctx({ type: 'offer' }, {}, rules), NOW);
    expect(done.ok && done.effects[1]).toEqual({ type: 'schedule_auto_confirm', delayMs: 24 * HOUR });
    expect(transition(held('claimed'), { type: 'complete', volunteerId: 'v1', hours: 5 }, ctx({ type: 'offer' }, {}, rules), NOW)).toEqual({ ok: false, reason: 'bad_hours' });
    const released = transition(held('claimed'), { type: 'release', volunteerId: 'v1' }, ctx({ type: 'offer' }, {}, rules), NOW);
    expect(released.ok && released.effects.at(-1)).toEqual({ type: 'record_reliability', volunteerId: 'v1', kind: 'late_release' });
  });

  it('walks the happy path: offer → claim → arrive → complete → rate, crediting once', () => {
    const events: OrderEvent[] = [
      { type: 'offer' },
      { type: 'escalate', level: 1, atVersion: 4 },
      { type: 'claim', volunteerId: 'v1' },
      { type: 'escalate', level: 2, atVersion: 5 },
      { type: 'arrive', volunteerId: 'v1' },
      { type: 'complete', volunteerId: 'v1', hours: null },
      { type: 'rate', stars: 5, comment: '谢谢', complaint: false },
      { type: 'auto_confirm' },
    ];
    let order = makeOrder();
    const outcomes: string[] = [];
    const credits: OrderEffect[] = [];
    for (const event of events) {
      const r = transition(order, event, ctx(event), NOW);
      outcomes.push(r.ok ? r.order.status : r.reason);
      if (r.ok) {
        order = r.order;
        credits.push(...r.effects.filter((e) => e.type === 'credit_hours'));
      }
    }
    expect(outcomes).toEqual(['offered', 'offered', 'claimed', 'wrong_status', 'in_service', 'done', 'rated', 'already_final']);
    expect(credits).toEqual([{ type: 'credit_hours', volunteerId: 'v1', hours: 2 }]);
    expect(order.version).toBe(3 + 6);
  });
});

describe('who may do it: the rules judge the loaded context', () => {
  const offered = makeOrder({ status: 'offered' });
  const claim: OrderEvent = { type: 'claim', volunteerId: 'v1' };
  it.each<[string, Order, OrderEvent, TransitionContext, RefusalReason | 'ok', string]>([
    ['a claim by someone not registered as a volunteer', offered, claim, ctx(claim, { volunteer: { id: 'v1', skills: null, held: [] } }), 'not_volunteer', ''],
    ['a claim without the required skill', offered, claim, ctx(claim, { requiredSkills: ['legal'] }), 'missing_skill', ''],
    ['a claim with the required skill', offered, claim, ctx(claim, { requiredSkills: ['electrical'] }), 'ok', ''],
    ['a claim overlapping an order held', offered, claim, ctx(claim, { volunteer: { id: 'v1', skills: ['repair'], held: [{ no: '654321', start: '2026-06-04T08:00:00.000Z', end: '2026-06-04T09:00:00.000Z' }] } }), 'overlapping', '654321'],
    ['a claim right after an order held', offered, claim, ctx(claim, { volunteer: { id: 'v1', skills: ['repair'], held: [{ no: '654321', start: '2026-06-04T05:00:00.000Z', end: '2026-06-04T07:00:00.000Z' }] } }), 'ok', ''],
    ['a taken order is 已被认领 before any other reason', held('claimed'), { type: 'claim', volunteerId: 'v2' }, ctx({ type: 'claim', volunteerId: 'v2' }, { volunteer: { id: 'v2', skills: null, held: [] } }), 'already_claimed', ''],
    ['派单 by a resident', offered, { type: 'assign', volunteerId: 'v1', by: 'r2' }, asResident({ type: 'assign', volunteerId: 'v1', by: 'r2' }), 'forbidden', ''],
    ['派单 to someone without the skill', offered, { type: 'assign', volunteerId: 'v1', by: 'w1' }, ctx({ type: 'assign', volunteerId: 'v1', by: 'w1' }, { requiredSkills: ['legal'] }), 'missing_skill', ''],
    ['cancelling someone else\'s order', offered, { type: 'cancel', by: 'r2' }, asResident({ type: 'cancel', by: 'r2' }), 'not_your_order', ''],
    ['a resident settling a dispute', finished('disputed', { rating: 1 }), { type: 'resolve_dispute', approve: true, hours: null, by: 'r2' }, asResident({ type: 'resolve_dispute', approve: true, hours: null, by: 'r2' }), 'forbidden', ''],
  ])('%s', (_name, order, event, context, expected, otherNo = '') => {
    const result = transition(order, event, context, NOW);
    if (expected === 'ok') expect(result.ok).toBe(true);
    else expect(result).toEqual({ ok: false, reason: expected, ...(otherNo ? { otherNo } : {}) });
  });

  it('a complaint after confirming puts credited hours on hold for the worker', () => {
    const confirmed = finished('confirmed', { credited: true });
    const result = transition(confirmed, { type: 'rate', stars: 1, comment: '没修好', complaint: true }, ctx({ type: 'confirm' }), NOW);
    expect(result.ok && result.order).toMatchObject({ status: 'disputed', credited: true, rating: 1 });
    expect(result.ok && result.effects).toEqual([{ type: 'open_followup' }, to('staff', 'disputed'), to('resident', 'disputed')]);
  });
});

describe('needsVolunteer: the volunteer is loaded (and locked) only when the status admits them', () => {
  it.each<[string, Order, OrderEvent, boolean]>([
    ['a claim of an offered order', makeOrder({ status: 'offered' }), { type: 'claim', volunteerId: 'v1' }, true],
    ['a claim of an unclaimed order', makeOrder({ status: 'unclaimed' }), { type: 'claim', volunteerId: 'v1' }, true],
    ['a claim of a taken order', held('claimed'), { type: 'claim', volunteerId: 'v2' }, false],
    ['an assignment of a new order', makeOrder(), { type: 'assign', volunteerId: 'v1', by: 'w1' }, true],
    ['an assignment of an order in service', held('in_service'), { type: 'assign', volunteerId: 'v1', by: 'w1' }, false],
    ['a completion', held('claimed'), { type: 'complete', volunteerId: 'v1', hours: null }, false],
  ])('%s → %s', (_name, order, event, expected) => {
    expect(needsVolunteer(order, event)).toBe(expected);
  });
});
