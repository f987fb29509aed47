/**
 * The order state machine (SPEC §4): one pure `transition(order, event, ctx, now)` that returns the next
 * order and the effects as data; the service writes the database effects in the same transaction as the
 * state change and sends the rest through the effects outbox. Every refusal is one RefusalReason.
 */
import type { Permission } from '../../directory/index.js';
import { orderWindow, overlaps } from '../../kernel/time-window.js';
import type { EscalationLevel, Order, OrderStatus } from './types.js';

export interface OrderRules {
  /** Minutes after the first offer at which levels 1, 2, 3 start (cumulative): 10, 30, 60. */
  escalationMinutes: [number, number, number];
  /** Silence after completion before hours are credited anyway. */
  autoConfirmHours: number;
  /** Upper bound of hours one service may credit. */
  maxServiceHours: number;
  /** Releasing a claim closer than this to the wanted time counts against reliability. */
  lateReleaseHours: number;
}

export const DEFAULT_ORDER_RULES: Readonly<OrderRules> = {
  escalationMinutes: [10, 30, 60],
  autoConfirmHours: 48,
  maxServiceHours: 12,
  lateReleaseHours: 2,
};

export type OrderEvent =
  | { type: 'offer' }
  /** `atVersion`: the version the escalation was scheduled at (from the effect); a stale job is refused. */
  | { type: 'escalate'; level: 1 | 2 | 3; atVersion?: number }
  | { type: 'claim'; volunteerId: string }
  | { type: 'assign'; volunteerId: string; by: string }
  | { type: 'release'; volunteerId: string }
  | { type: 'arrive'; volunteerId: string }
  | { type: 'complete'; volunteerId: string; hours: number | null }
  | { type: 'rate'; stars: number; comment: string | null; complaint: boolean }
  | { type: 'confirm' }
  | { type: 'auto_confirm' }
  | { type: 'cancel'; by: string }
  /** `noShow`: the worker found the volunteer never came (only with approve = false). */
  | { type: 'resolve_dispute'; approve: boolean; hours: number | null; by: string; noShow?: boolean; note?: string | null };

/** An order the volunteer already holds, as a time window. */
export interface HeldOrder {
  no: string;
  start: string;
  end: string;
}

/**
 * What the rules need beyond the order and the event, loaded by the service in the same transaction:
 * the actor's permissions, the volunteer who would hold the order (the claimer, or whom it is assigned to)
 * with their skills (null: not a registered volunteer) and the orders they hold, and the category's
 * required skills.
 */
export interface TransitionContext {
  rules: OrderRules;
  actor: { id: string | null; permissions: readonly Permission[] };
  volunteer?: { id: string; skills: readonly string[] | null; held: readonly HeldOrder[] };
  requiredSkills: readonly string[];
}

export type NoticeKey =
  | 'claimed'
  | 'assigned'
  | 'arrived'
  | 'completed_ask_rating'
  | 'rated_thanks'
  | 'confirmed'
  | 'disputed'
  | 'unclaimed'
  | 'cancelled'
  | 'released'
  | 'auto_confirmed'
  | 'dispute_approved'
  | 'dispute_rejected';

export type OrderEffect =
  /** `allNearby`: emergencies go to every nearby volunteer at once instead of the top few. */
  | { type: 'dispatch'; level: EscalationLevel; allNearby: boolean }
  /** Carry `atVersion` into the job and back in the `escalate` event. */
  | { type: 'schedule_escalation'; level: 1 | 2 | 3; delayMs: number; atVersion: number }
  | { type: 'notify'; audience: 'resident' | 'volunteer' | 'staff' | 'candidates'; message: NoticeKey }
  | { type: 'credit_hours'; volunteerId: string; hours: number }
  /** A compensating entry for hours credited before a dispute was settled against them. */
  | { type: 'reverse_hours'; volunteerId: string; hours: number }
  | { type: 'record_reliability'; volunteerId: string; kind: 'completed' | 'late_release' | 'no_show' }
  | { type: 'open_followup' }
  | { type: 'close_followup'; by: string; note: string | null }
  | { type: 'schedule_auto_confirm'; delayMs: number };

/** Effects the service writes in the same transaction as the state change; every other one goes through the outbox. */
export const DATABASE_EFFECTS: ReadonlySet<OrderEffect['type']> = new Set(['credit_hours', 'reverse_hours', 'record_reliability', 'open_followup', 'close_followup']);

export type RefusalReason =
  | 'already_claimed'
  | 'not_claimable'
  | 'not_your_order'
  | 'bad_hours'
  | 'bad_stars'
  /** An operational event (offer, escalate, release, arrive, complete, cancel) on a closed order. */
  | 'not_open'
  /** A closing event (rate, confirm, auto_confirm, resolve_dispute) on an order already closed. */
  | 'already_final'
  | 'wrong_status'
  /** An escalation that already ran, or was scheduled before the order changed again (claimed, released). */
  | 'stale'
  /** The one who would hold the order is not a registered volunteer. */
  | 'not_volunteer'
  /** They lack a skill flag the category requires (legal_aid, counseling, electrical…). */
  | 'missing_skill'
  /** They already hold an order at an overlapping time (`otherNo`). */
  | 'overlapping'
  /** The actor's role may not do this. */
  | 'forbidden';

export type TransitionResult = { ok: true; order: Order; effects: OrderEffect[] } | { ok: false; reason: RefusalReason; otherNo?: string };

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
/** Ratings at or below this open a dispute (SPEC §4.7: 1–2 stars). */
const DISPUTE_MAX_STARS = 2;
const MIN_STARS = 1;
const MAX_STARS = 5;

const FINAL: readonly OrderStatus[] = ['confirmed', 'rated', 'cancelled'];
const CLAIMABLE: readonly OrderStatus[] = ['offered', 'unclaimed'];
const ASSIGNABLE: readonly OrderStatus[] = ['submitted', 'offered', 'unclaimed'];
const HELD: readonly OrderStatus[] = ['claimed', 'in_service'];
const CANCELLABLE: readonly OrderStatus[] = ['submitted', 'offered', 'claimed', 'in_service', 'unclaimed'];
/** Statuses in which offers are out in group chats, so candidates hear when the order goes away. */
const OFFERS_OUT: readonly OrderStatus[] = ['offered', 'unclaimed'];

/**
 * Apply one event to an order. On success the order's version is one higher; effects are data for `jobs/`.
 * @example transition(order, { type: 'claim', volunteerId: 'v1' }, now) // { ok: true, order: { status: 'claimed', … }, effects: [notify…] }
 */
export function transition(order: Order, event: OrderEvent, ctx: TransitionContext, now: Date): TransitionResult {
  const { rules } = ctx;
  switch (event.type) {
    case 'offer':
      if (order.status !== 'submitted' && order.status !== 'unclaimed') return refuseOperational(order);
      return accept(order, { status: 'offered', escalationLevel: 0 }, dispatchEffects(order, 0, rules));
    case 'escalate':
      return escalate(order, event.level, event.atVersion, rules);
    case 'claim': {
      if (!CLAIMABLE.includes(order.status)) return refuseClaim(order);
      const refusal = checkVolunteer(order, event.volunteerId, ctx, now);
      if (refusal) return refusal;
      return accept(order, { status: 'claimed', volunteerId: event.volunteerId }, [
        notify('volunteer', 'claimed'),
        notify('resident', 'claimed'),
        notify('candidates', 'claimed'),
      ]);
    }
    case 'assign': {
      if (!ctx.actor.permissions.includes('order.assign')) return refuse('forbidden');
      if (!ASSIGNABLE.includes(order.status)) return refuseClaim(order);
      const refusal = checkVolunteer(order, event.volunteerId, ctx, now);
      if (refusal) return refusal;
      const effects = [notify('volunteer', 'assigned'), notify('resident', 'assigned')];
      if (OFFERS_OUT.includes(order.status)) effects.push(notify('candidates', 'claimed'));
      return accept(order, { status: 'claimed', volunteerId: event.volunteerId }, effects);
    }
    case 'release':
      return release(order, event.volunteerId, now, rules);
    case 'arrive': {
      const refusal = checkHolder(order, event.volunteerId, ['claimed']);
      if (refusal) return refusal;
      return accept(order, { status: 'in_service' }, [notify('resident', 'arrived')]);
    }
    case 'complete': {
      const refusal = checkHolder(order, event.volunteerId, HELD);
      if (refusal) return refusal;
      const hours = event.hours ?? order.plannedHours;
      if (!isValidHours(hours, rules)) return refuse('bad_hours');
      return accept(order, { status: 'done', hours }, [
        notify('resident', 'completed_ask_rating'),
        { type: 'schedule_auto_confirm', delayMs: rules.autoConfirmHours * HOUR_MS },
      ]);
    }
    case 'rate':
      return rate(order, event.stars, event.comment, event.complaint);
    case 'confirm':
    case 'auto_confirm': {
      if (order.status !== 'done') return refuseClosing(order);
      const auto = event.type === 'auto_confirm';
      const key: NoticeKey = auto ? 'auto_confirmed' : 'confirmed';
      return credit(order, { status: 'confirmed', autoConfirmed: auto }, [notify('resident', key), notify('volunteer', key)]);
    }
    case 'cancel': {
      const own = event.by === order.residentId || event.by === order.createdBy;
      if (!own && !ctx.actor.permissions.includes('order.cancel_any')) return refuse('not_your_order');
      if (!CANCELLABLE.includes(order.status)) return refuseOperational(order);
      const effects = [notify('resident', 'cancelled')];
      if (order.volunteerId !== null) effects.push(notify('volunteer', 'cancelled'));
      if (OFFERS_OUT.includes(order.status)) effects.push(notify('candidates', 'cancelled'));
      return accept(order, { status: 'cancelled' }, effects);
    }
    case 'resolve_dispute':
      if (!ctx.actor.permissions.includes('order.settle_dispute')) return refuse('forbidden');
      return resolveDispute(order, event, rules);
  }
}

function escalate(order: Order, level: 1 | 2 | 3, atVersion: number | undefined, rules: OrderRules): TransitionResult {
  if (order.status !== 'offered') return refuseOperational(order);
  // A duplicate job, or one scheduled before the order was claimed and released again.
  if (level <= order.escalationLevel || (atVersion !== undefined && atVersion !== order.version)) return refuse('stale');
  if (level === 3) {
    return accept(order, { status: 'unclaimed', escalationLevel: 3 }, [notify('staff', 'unclaimed'), notify('resident', 'unclaimed')]);
  }
  return accept(order, { escalationLevel: level }, dispatchEffects(order, level, rules));
}

function release(order: Order, volunteerId: string, now: Date, rules: OrderRules): TransitionResult {
  const refusal = checkHolder(order, volunteerId, ['claimed']);
  if (refusal) return refusal;
  const effects: OrderEffect[] = [notify('resident', 'released'), ...dispatchEffects(order, 0, rules)];
  // An ASAP order (no wanted time) is wanted now, so releasing it is always late.
  const start = orderWindow(order.wantedAt, order.plannedHours, now).start.getTime();
  if (start - now.getTime() < rules.lateReleaseHours * HOUR_MS) {
    effects.push({ type: 'record_reliability', volunteerId, kind: 'late_release' });
  }
  return accept(order, { status: 'offered', escalationLevel: 0, volunteerId: null }, effects);
}

function rate(order: Order, stars: number, comment: string | null, complaint: boolean): TransitionResult {
  // A resident who confirmed first may still rate once; an auto-confirmed order stays unrated (SPEC §4.7).
  const lateRating = order.status === 'confirmed' && order.rating === null && !order.autoConfirmed;
  if (order.status !== 'done' && !lateRating) return refuseClosing(order);
  if (!Number.isInteger(stars) || stars < MIN_STARS || stars > MAX_STARS) return refuse('bad_stars');
  const unhappy = stars <= DISPUTE_MAX_STARS || complaint;
  const rated = { rating: stars, comment };
  if (lateRating && !unhappy) return accept(order, { status: 'rated', ...rated }, [notify('resident', 'rated_thanks')]);
  if (unhappy) {
    // Hours wait for the worker's decision; hours already credited are kept until then and reversed if they decide so.
    return accept(order, { status: 'disputed', ...rated }, [
      { type: 'open_followup' },
      notify('staff', 'disputed'),
      notify('resident', 'disputed'),
    ]);
  }
  return credit(order, { status: 'rated', ...rated }, [notify('resident', 'rated_thanks'), notify('volunteer', 'rated_thanks')]);
}

function resolveDispute(order: Order, e: Extract<OrderEvent, { type: 'resolve_dispute' }>, rules: OrderRules): TransitionResult {
  if (order.status !== 'disputed') return refuseClosing(order);
  // Counted hours close it as rated (or confirmed, for a complaint without stars); not counted, as confirmed with 0 hours.
  const closed: Partial<Order> = { status: e.approve && order.rating !== null ? 'rated' : 'confirmed' };
  const followup: OrderEffect = { type: 'close_followup', by: e.by, note: e.note ?? null };
  if (e.approve) {
    const hours = e.hours ?? order.hours;
    if (hours === null || !isValidHours(hours, rules)) return refuse('bad_hours');
    const notices = [followup, notify('resident', 'dispute_approved'), notify('volunteer', 'dispute_approved')];
    if (order.credited) {
      // Credited before the complaint (a late rating): a different number of hours is corrected by the difference.
      const effects: OrderEffect[] = [];
      const diff = hours - (order.hours ?? 0);
      if (order.volunteerId !== null && diff > 0) effects.push({ type: 'credit_hours', volunteerId: order.volunteerId, hours: diff });
      if (order.volunteerId !== null && diff < 0) effects.push({ type: 'reverse_hours', volunteerId: order.volunteerId, hours: -diff });
      return accept(order, { ...closed, hours }, [...effects, ...notices]);
    }
    return credit(order, { ...closed, hours }, notices);
  }
  // Not counted: the order closes with 0 hours; hours credited before the complaint are reversed.
  const effects: OrderEffect[] = [followup, notify('resident', 'dispute_rejected'), notify('volunteer', 'dispute_rejected')];
  if (order.credited && order.volunteerId !== null && order.hours) effects.unshift({ type: 'reverse_hours', volunteerId: order.volunteerId, hours: order.hours });
  if (e.noShow === true && order.volunteerId !== null) effects.push({ type: 'record_reliability', volunteerId: order.volunteerId, kind: 'no_show' });
  return accept(order, { ...closed, hours: 0, credited: false }, effects);
}

/**
 * The only place hours are credited. It is reached from `done` or `disputed` and leads to `confirmed` or `rated`,
 * and no transition ever returns to `done` or `disputed`, so an order is credited at most once.
 */
function credit(order: Order, changes: Partial<Order>, notices: OrderEffect[]): TransitionResult {
  const volunteerId = order.volunteerId;
  const hours = changes.hours ?? order.hours;
  if (volunteerId === null || hours === null) return refuse('wrong_status');
  return accept(order, { ...changes, credited: true }, [
    { type: 'credit_hours', volunteerId, hours },
    { type: 'record_reliability', volunteerId, kind: 'completed' },
    ...notices,
  ]);
}

function dispatchEffects(order: Order, level: 0 | 1 | 2, rules: OrderRules): OrderEffect[] {
  const next = (level + 1) as 1 | 2 | 3;
  const minutes = rules.escalationMinutes;
  const previous = level === 0 ? 0 : minutes[level - 1]!;
  const delayMs = Math.max(0, (minutes[level] - previous) * MINUTE_MS);
  return [
    { type: 'dispatch', level, allNearby: order.category === 'emergency' },
    // The new order will carry version + 1; only an escalation that still sees that version may run.
    { type: 'schedule_escalation', level: next, delayMs, atVersion: order.version + 1 },
  ];
}

/**
 * Whether judging this event needs the volunteer (their skills and held orders): only a claim or an assignment
 * of an order in a status that admits one. The service loads and locks the volunteer only then.
 * @example needsVolunteer(claimedOrder, { type: 'claim', volunteerId: 'v1' }) // false: it is refused as already claimed
 */
export function needsVolunteer(order: Order, event: OrderEvent): boolean {
  if (event.type === 'claim') return CLAIMABLE.includes(order.status);
  if (event.type === 'assign') return ASSIGNABLE.includes(order.status);
  return false;
}

/**
 * Whether the volunteer may hold this order: registered, holding every skill the category requires, and free
 * at its time. Their held orders were read under a lock on them, so two racing claims cannot both pass.
 */
function checkVolunteer(order: Order, volunteerId: string, ctx: TransitionContext, now: Date): TransitionResult | null {
  const v = ctx.volunteer;
  if (!v || v.id !== volunteerId || v.skills === null) return refuse('not_volunteer');
  if (ctx.requiredSkills.some((s) => !v.skills!.includes(s))) return refuse('missing_skill');
  const wanted = orderWindow(order.wantedAt, order.plannedHours, now);
  const clash = v.held.find((h) => h.no !== order.no && overlaps(wanted.start, wanted.end, Date.parse(h.start), Date.parse(h.end)));
  return clash ? { ok: false, reason: 'overlapping', otherNo: clash.no } : null;
}

/** Refusal for release/arrive/complete, or null when `volunteerId` holds the order in one of `allowed`. */
function checkHolder(order: Order, volunteerId: string, allowed: readonly OrderStatus[]): TransitionResult | null {
  if (FINAL.includes(order.status)) return refuse('not_open');
  if (order.volunteerId !== volunteerId) return refuse('not_your_order');
  if (!allowed.includes(order.status)) return refuse('wrong_status');
  return null;
}

function isValidHours(hours: number, rules: OrderRules): boolean {
  return Number.isFinite(hours) && hours > 0 && hours <= rules.maxServiceHours;
}

function refuseClaim(order: Order): TransitionResult {
  return refuse(HELD.includes(order.status) ? 'already_claimed' : 'not_claimable');
}

function refuseOperational(order: Order): TransitionResult {
  return refuse(FINAL.includes(order.status) ? 'not_open' : 'wrong_status');
}

function refuseClosing(order: Order): TransitionResult {
  return refuse(FINAL.includes(order.status) ? 'already_final' : 'wrong_status');
}

function accept(order: Order, changes: Partial<Order>, effects: OrderEffect[]): TransitionResult {
  return { ok: true, order: { ...order, ...changes, version: order.version + 1 }, effects };
}

function refuse(reason: RefusalReason): TransitionResult {
  return { ok: false, reason };
}

function notify(audience: 'resident' | 'volunteer' | 'staff' | 'candidates', message: NoticeKey): OrderEffect {
  return { type: 'notify', audience, message };
}
