import { DEFAULT_ORDER_RULES, resumeEffects, transition } from '../../src/domain/order-machine';
import type { Order } from '../../src/domain/types';

const NOW = new Date('2026-06-04T02:00:00Z');
const base: Order = {
  id: '1', no: '123456', residentId: 'r', createdBy: 'r', communityId: 'c', gridId: null, category: 'errand', description: '',
  urgent: false, wantedAt: null, plannedHours: 1, lat: 0, lng: 0, area: '', status: 'submitted', escalationLevel: 0,
  volunteerId: null, hours: null, rating: null, comment: null, autoConfirmed: false, version: 0,
};

function step(order: Order, event: Parameters<typeof transition>[1]) {
  const r = transition(order, event, NOW, DEFAULT_ORDER_RULES);
  if (!r.ok) throw new Error(r.reason);
  return r;
}

test.each([
  ['after the first offer', [{ type: 'offer' }]],
  ['after escalation to the community', [{ type: 'offer' }, { type: 'escalate', level: 1 }]],
  ['after escalation to the street', [{ type: 'offer' }, { type: 'escalate', level: 1 }, { type: 'escalate', level: 2 }]],
  ['after running out (unclaimed)', [{ type: 'offer' }, { type: 'escalate', level: 1 }, { type: 'escalate', level: 2 }, { type: 'escalate', level: 3 }]],
] as const)('resuming %s repeats exactly the effects of the last step', (_, events) => {
  let order = base;
  let effects: unknown[] = [];
  for (const e of events) {
    const r = step(order, e.type === 'escalate' ? { ...e, atVersion: order.version } : e);
    order = r.order;
    effects = r.effects;
  }
  expect(resumeEffects(order)).toEqual(effects);
});

test.each(['claimed', 'cancelled', 'done', 'rated', 'submitted'] as const)('nothing to resume once the order is %s', (status) => {
  expect(resumeEffects({ ...base, status, version: 3 })).toEqual([]);
});
