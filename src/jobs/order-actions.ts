import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { extractPhone, maskPhone } from '../domain/intake/index.js';
import { say, volunteerIntro, type OrderView } from '../domain/messages.js';
import { transition, type NoticeKey, type OrderEffect, type OrderEvent, type OrderRules, type RefusalReason } from '../domain/order-machine.js';
import { nextSendTime, type QuietHours } from '../domain/quiet-hours.js';
import type { Category, Order } from '../domain/types.js';
import { recordReliability } from '../store/candidates.js';
import { categoryByCode } from '../store/catalogue.js';
import type { Db } from '../store/db.js';
import { getPerson, staffFor } from '../store/directory.js';
import { creditServiceHours } from '../store/ledger.js';
import { getOrder, getOrderContact, listOrderRooms, saveTransition } from '../store/orders.js';
import type { Notifier } from './notifier.js';

export interface OrderDeps {
  db: Db;
  notifier: Notifier;
  orderQueue: Queue;
  catalogue: Category[];
  rules: OrderRules;
  quietHours: QuietHours;
  log: Logger;
  now: () => Date;
  /** Rank and offer at a level; provided by dispatch.ts (kept apart so each file stays small). */
  dispatch: (order: Order, level: 0 | 1 | 2, allNearby: boolean) => Promise<void>;
}

export interface Actor {
  id: string | null;
  channel: string | null;
}

export type ApplyResult = { ok: true; order: Order } | { ok: false; reason: RefusalReason | 'not_found'; order: Order | null };

/** Concurrent changes to one order are rare; a few retries on a lost compare-and-set settle them. */
const CAS_ATTEMPTS = 5;

export function orderView(deps: Pick<OrderDeps, 'catalogue'>, o: Order): OrderView {
  return { no: o.no, categoryName: categoryByCode(deps.catalogue, o.category)?.name ?? o.category, area: o.area, wantedAt: o.wantedAt, urgent: o.urgent };
}

/**
 * Load → transition → compare-and-set save → carry out the effects. The first of several racing
 * events wins; the others see the order as it now is and are refused by the state machine.
 */
export async function applyOrderEvent(deps: OrderDeps, orderId: string, event: OrderEvent, actor: Actor): Promise<ApplyResult> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const before = await getOrder(deps.db, orderId);
    if (!before) return { ok: false, reason: 'not_found', order: null };
    const result = transition(before, event, deps.now(), deps.rules);
    if (!result.ok) return { ok: false, reason: result.reason, order: before };
    if (!(await saveTransition(deps.db, before, result.order, event, actor))) continue;
    const log = deps.log.child({ orderId, no: result.order.no, event: event.type });
    log.info({ from: before.status, to: result.order.status }, 'order transition');
    await carryOut(deps, result.order, result.effects, log);
    return { ok: true, order: result.order };
  }
  const current = await getOrder(deps.db, orderId);
  return { ok: false, reason: 'wrong_status', order: current };
}

/** Carry out effects in order; one that fails is logged and the rest still run. */
export async function carryOut(deps: OrderDeps, order: Order, effects: OrderEffect[], log: Logger = deps.log): Promise<void> {
  for (const effect of effects) {
    await runEffect(deps, order, effect).catch((err: unknown) => log.error({ err, effect: effect.type, orderId: order.id }, 'order effect failed'));
  }
}

async function runEffect(deps: OrderDeps, order: Order, effect: OrderEffect): Promise<void> {
  switch (effect.type) {
    case 'dispatch':
      if (effect.level < 3) await deps.dispatch(order, effect.level as 0 | 1 | 2, effect.allNearby);
      return;
    case 'schedule_escalation': {
      const due = new Date(deps.now().getTime() + effect.delayMs);
      const at = nextSendTime(due, deps.quietHours, order.urgent);
      await deps.orderQueue.add(
        'escalate',
        { orderId: order.id, level: effect.level, atVersion: effect.atVersion },
        { jobId: `escalate-${order.id}-${effect.atVersion}`, delay: Math.max(0, at.getTime() - deps.now().getTime()) },
      );
      return;
    }
    case 'schedule_auto_confirm':
      await deps.orderQueue.add('auto_confirm', { orderId: order.id }, { jobId: `autoconfirm-${order.id}-${order.version}`, delay: effect.delayMs });
      return;
    case 'credit_hours':
      await creditServiceHours(deps.db, order.id, effect.volunteerId, effect.hours);
      return;
    case 'record_reliability':
      await recordReliability(deps.db, effect.volunteerId, {
        completed: effect.kind === 'completed' ? 1 : 0,
        noShows: effect.kind === 'completed' ? 0 : 1,
        rating: effect.kind === 'completed' && order.rating ? order.rating : 0,
      });
      return;
    case 'open_followup':
      await deps.db.query(
        `INSERT INTO followups (order_id, grid_id, worker_id)
         SELECT $1, $2, (SELECT worker_id FROM grids WHERE id = $2) ON CONFLICT (order_id) DO NOTHING`,
        [order.id, order.gridId],
      );
      return;
    case 'notify':
      await notify(deps, order, effect.audience, effect.message);
      return;
  }
}

async function notify(deps: OrderDeps, order: Order, audience: 'resident' | 'volunteer' | 'staff' | 'candidates', key: NoticeKey): Promise<void> {
  const now = deps.now();
  const view = orderView(deps, order);
  const volunteer = order.volunteerId ? await getPerson(deps.db, order.volunteerId) : null;
  if (audience === 'resident') {
    const intro = volunteer ? volunteerIntro(volunteer.name, volunteer.phone ? maskPhone(volunteer.phone) : null) : '';
    const text = residentNotice(key, view, intro, order, now);
    if (text) await deps.notifier.toPerson(order.residentId, text);
    return;
  }
  if (audience === 'volunteer') {
    if (!order.volunteerId) return;
    const text = await volunteerNotice(deps, key, view, order, now);
    if (text) await deps.notifier.toPerson(order.volunteerId, text);
    return;
  }
  if (audience === 'staff') {
    const staff = await staffFor(deps.db, order.communityId, order.gridId);
    const text = key === 'unclaimed' ? say.unclaimedStaff(view) : key === 'disputed' ? say.disputedStaff(order.no, order.rating, order.comment) : null;
    if (text) for (const s of staff) await deps.notifier.toPerson(s.id, text);
    return;
  }
  // Candidates: one line in each team room the order was posted in, so nobody goes on trying.
  const text = key === 'cancelled' ? say.cancelledVolunteer(order.no) : say.claimedGroup(order.no, volunteer ? `${volunteer.name.slice(0, 1)}志愿者` : '志愿者');
  for (const roomId of await listOrderRooms(deps.db, order.id)) await deps.notifier.toRoom(roomId, text);
}

function residentNotice(key: NoticeKey, view: OrderView, intro: string, order: Order, now: Date): string | null {
  switch (key) {
    case 'claimed':
    case 'assigned':
      return say.claimedResident(view, intro, now);
    case 'arrived':
      return say.arrivedResident(order.no, intro);
    case 'completed_ask_rating':
      return say.askRating(order.no, view.categoryName);
    case 'rated_thanks':
      return say.ratedThanks(order.no, order.rating ?? 5);
    case 'confirmed':
      return say.confirmedThanks(order.no);
    case 'auto_confirmed':
      return say.autoConfirmedResident(order.no);
    case 'disputed':
      return say.disputedResident(order.no);
    case 'unclaimed':
      return say.unclaimedResident(order.no);
    case 'cancelled':
      return say.cancelledResident(order.no);
    case 'released':
      return say.releasedResident(order.no);
    case 'dispute_resolved':
      return say.confirmedThanks(order.no);
  }
}

async function volunteerNotice(deps: OrderDeps, key: NoticeKey, view: OrderView, order: Order, now: Date): Promise<string | null> {
  switch (key) {
    case 'claimed':
    case 'assigned': {
      // The full address and phone go to the volunteer who holds the order, privately, and nowhere else.
      const contact = await getOrderContact(deps.db, order.id);
      const resident = await getPerson(deps.db, order.residentId);
      const phone = contact.phone ?? (resident?.phone ? extractPhone(resident.phone) : null);
      return say.claimedVolunteer(view, contact.address, phone, resident?.name ?? '居民', now);
    }
    case 'rated_thanks':
      return say.ratedVolunteer(order.no, order.rating ?? 5, order.hours ?? 0);
    case 'confirmed':
    case 'auto_confirmed':
    case 'dispute_resolved':
      return order.hours ? say.creditedVolunteer(order.no, order.hours) : null;
    case 'cancelled':
      return say.cancelledVolunteer(order.no);
    default:
      return null;
  }
}
