import fc from 'fast-check';
import { DEFAULT_ORDER_RULES, transition, type OrderEvent, type TransitionContext } from '../../../src/orders/domain/order-machine.js';
import { OPEN_STATUSES, type Order, type OrderStatus } from '../../../src/orders/domain/types.js';

const NOW = new Date('2026-06-04T01:00:00.000Z');
const START_VERSION = 1;

const start: Order = Object.freeze({
  id: 'o1',
  no: '123',
  residentId: 'r1',
  createdBy: 'r1',
  communityId: 'c1',
  gridId: null,
  category: 'errand',
  description: '买菜',
  urgent: false,
  wantedAt: '2026-06-04T02:00:00.000Z',
  plannedHours: 1,
  lat: 37.5,
  lng: 122.1,
  area: '幸福社区',
  status: 'submitted',
  escalationLevel: 0,
  volunteerId: null,
  hours: null,
  rating: null,
  comment: null,
  autoConfirmed: false,
  credited: false,
  version: START_VERSION,
});

/** Staff acting, and the volunteer the event names registered and free: the status rules are what is tested here. */
function ctx(e: OrderEvent): TransitionContext {
  return {
    rules: DEFAULT_ORDER_RULES,
    actor: { id: 'w1', permissions: ['order.assign', 'order.cancel_any', 'order.settle_dispute'] },
    volunteer: { id: 'volunteerId' in e ? e.volunteerId : 'v1', skills: ['errand'], held: [] },
    requiredSkills: [],
  };
}

/** Mostly the same volunteer, so sequences get far enough to complete and rate. */
const volunteer = fc.constantFrom('v1', 'v1', 'v1', 'v2');
const hours = fc.constantFrom(null, null, 1.5, 12, 0, -1, 12.5, Number.NaN, Number.POSITIVE_INFINITY);
const often = <T>(arbitrary: fc.Arbitrary<T>) => ({ arbitrary, weight: 6 });
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => ({ arbitrary, weight: 1 });
/** Events with awkward values on purpose: wrong volunteers, bad hours and stars, stale escalations. Cancel is rare, or little else gets tested. */
const event: fc.Arbitrary<OrderEvent> = fc.oneof(
  often(fc.constant<OrderEvent>({ type: 'offer' })),
  often(fc.record({ type: fc.constant('escalate' as const), level: fc.constantFrom(1 as const, 2 as const, 3 as const), atVersion: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }) })),
  often(fc.record({ type: fc.constant('claim' as const), volunteerId: volunteer })),
  rarely(fc.record({ type: fc.constant('assign' as const), volunteerId: volunteer, by: fc.constant('w1') })),
  rarely(fc.record({ type: fc.constant('release' as const), volunteerId: volunteer })),
  often(fc.record({ type: fc.constant('arrive' as const), volunteerId: volunteer })),
  often(fc.record({ type: fc.constant('complete' as const), volunteerId: volunteer, hours })),
  often(fc.record({ type: fc.constant('rate' as const), stars: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 2.5), comment: fc.constantFrom(null, '好'), complaint: fc.boolean() })),
  often(fc.constant<OrderEvent>({ type: 'confirm' })),
  often(fc.constant<OrderEvent>({ type: 'auto_confirm' })),
  rarely(fc.record({ type: fc.constant('cancel' as const), by: fc.constantFrom('r1', 'w1') })),
  often(fc.record({ type: fc.constant('resolve_dispute' as const), approve: fc.boolean(), hours, by: fc.constant('s1'), noShow: fc.boolean() })),
);

const HELD: OrderStatus[] = ['claimed', 'in_service', 'done', 'disputed'];
const UNHELD: OrderStatus[] = ['submitted', 'offered', 'unclaimed'];

/** What SPEC §4 allows an order to look like, whatever happened before. */
function listViolations(o: Order): string[] {
  const v: string[] = [];
  if (HELD.includes(o.status) && o.volunteerId === null) v.push(`${o.status} without a volunteer`);
  if (UNHELD.includes(o.status) && o.volunteerId !== null) v.push(`${o.status} with a volunteer`);
  if (o.status === 'unclaimed' && o.escalationLevel !== 3) v.push('unclaimed below level 3');
  if (o.status === 'offered' && o.escalationLevel === 3) v.push('offered at level 3');
  if (['done', 'disputed', 'rated'].includes(o.status) && !(o.hours !== null && o.hours > 0 && o.hours <= DEFAULT_ORDER_RULES.maxServiceHours)) v.push(`${o.status} with hours ${o.hours}`);
  if (o.status === 'confirmed' && !(o.hours !== null && o.hours >= 0 && o.hours <= DEFAULT_ORDER_RULES.maxServiceHours)) v.push(`confirmed with hours ${o.hours}`);
  if (['rated', 'disputed'].includes(o.status) && o.rating === null) v.push(`${o.status} without a rating`);
  if (o.rating !== null && !(Number.isInteger(o.rating) && o.rating >= 1 && o.rating <= 5)) v.push(`rating ${o.rating}`);
  if (o.rating !== null && !['rated', 'disputed', 'confirmed'].includes(o.status)) v.push(`rating while ${o.status}`);
  if (o.autoConfirmed && (o.status !== 'confirmed' || o.rating !== null)) v.push('auto-confirmed but not a plain confirmation');
  return v;
}

describe('transition, over any sequence of events', () => {
  it('never reaches an illegal state, keeps the ledger equal to the hours credited, and bumps the version by exactly one per change', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 5, maxLength: 40, size: 'max' }), (events) => {
        let order = start;
        let credits = 0;
        let balance = 0;
        for (const e of events) {
          const before = order;
          const result = transition(order, e, ctx(e), NOW);
          if (!result.ok) {
            expect(order).toBe(before);
            continue;
          }
          expect(result.order.version).toBe(before.version + 1);
          expect(listViolations(result.order)).toEqual([]);
          for (const effect of result.effects) {
            if (effect.type !== 'credit_hours' && effect.type !== 'reverse_hours') continue;
            if (effect.type === 'credit_hours' && !before.credited) credits += 1;
            balance += effect.type === 'credit_hours' ? effect.hours : -effect.hours;
            expect(effect.volunteerId).toBe(result.order.volunteerId);
          }
          order = result.order;
          // The time bank holds exactly the order's hours while it is credited, and nothing otherwise.
          expect(balance).toBeCloseTo(order.credited ? (order.hours ?? 0) : 0, 9);
        }
        expect(credits).toBeLessThanOrEqual(1);
        if (order.credited) expect(['confirmed', 'rated', 'disputed']).toContain(order.status);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses every event on a cancelled order', () => {
    fc.assert(
      fc.property(event, (e) => {
        const result = transition({ ...start, status: 'cancelled' }, e, ctx(e), NOW);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('keeps open statuses open until a closing event', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 5, maxLength: 30, size: 'max' }), (events) => {
        let order = start;
        for (const e of events) {
          const result = transition(order, e, ctx(e), NOW);
          if (!result.ok) continue;
          const wasClosed = !OPEN_STATUSES.includes(order.status);
          // Only a late rating moves a closed order: from confirmed to rated, or to disputed for the worker.
          if (wasClosed) expect([['confirmed', 'rated'], ['confirmed', 'disputed']]).toContainEqual([order.status, result.order.status]);
          order = result.order;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
