/**
 * Changing an order: lock it → load what the rules need → transition → save, write the database effects
 * and queue the rest in the effects outbox, all in one transaction. Then the outbox is carried out.
 */
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { categoryByCode, getCommunity, getPerson, permissionsOf, type Category } from '../directory/index.js';
import type { Notifier } from '../chat/index.js';
import { withTransaction, type Db, type Queryable } from '../platform/db.js';
import { addWithin } from '../platform/queues.js';
import type { OrderView } from './domain/messages.js';
import { DATABASE_EFFECTS, needsVolunteer, transition, type OrderEffect, type OrderEvent, type OrderRules, type RefusalReason, type TransitionContext } from './domain/order-machine.js';
import { readOrderSettings, type OrderSettings } from './domain/settings.js';
import type { Order } from './domain/types.js';
import type { Dispatcher } from './dispatch.js';
import { lockVolunteer, recordReliability } from './candidates.js';
import { adjustServiceHours, creditServiceHours } from './ledger.js';
import { insertEffects } from './outbox-store.js';
import { lockOrder, saveTransition } from './store.js';

export interface OrderDeps {
  db: Db;
  notifier: Notifier;
  /** dispatch, escalate and auto_confirm jobs. */
  orderQueue: Queue;
  /** Retries of the effects outbox. */
  effectsQueue: Queue;
  catalogue: Category[];
  rules: OrderRules;
  /** A community's order settings (its own, else the service-wide ones); see createSettingsReader. */
  settingsOf: SettingsReader;
  log: Logger;
  now: () => Date;
  dispatcher: Dispatcher;
}

export interface Actor {
  id: string | null;
  channel: string | null;
}

export type Refused = { ok: false; reason: RefusalReason | 'not_found'; order: Order | null; otherNo?: string };
export type ApplyResult = { ok: true; order: Order } | Refused;
/** A committed transition with the effects it left in the outbox. */
export type CommitResult = { ok: true; order: Order; queued: OrderEffect[] } | Refused;

export function orderView(deps: Pick<OrderDeps, 'catalogue'>, o: Order): OrderView {
  return { no: o.no, categoryName: categoryByCode(deps.catalogue, o.category).name, area: o.area, wantedAt: o.wantedAt, urgent: o.urgent };
}

/** The dispatch job's id is the order's, so a retried submit never dispatches twice. */
export async function enqueueDispatch(deps: Pick<OrderDeps, 'orderQueue'>, order: Order): Promise<void> {
  await addWithin(deps.orderQueue, 'dispatch', { orderId: order.id }, { jobId: `dispatch-${order.id}`, priority: order.urgent ? 1 : 5 });
}

/** Community settings change rarely; reading them for every transition would cost a round trip each. */
const SETTINGS_TTL_MS = 30_000;

export type SettingsReader = (db: Queryable, communityId: string) => Promise<OrderSettings>;

/**
 * Read a community's order settings: its own where it has them, else `defaults`; each kept for half a minute.
 * @example const settingsOf = createSettingsReader(defaults); (await settingsOf(db, 'xibeicun')).escalationMinutes // [5, 15, 40]
 */
export function createSettingsReader(defaults: OrderSettings): SettingsReader {
  const cache = new Map<string, { at: number; value: OrderSettings }>();
  return async (db, communityId) => {
    const hit = cache.get(communityId);
    if (hit && Date.now() - hit.at < SETTINGS_TTL_MS) return hit.value;
    const community = await getCommunity(db, communityId);
    const value = readOrderSettings(community?.settings.orders, defaults);
    cache.set(communityId, { at: Date.now(), value });
    return value;
  };
}

/** Events whose rules depend on who acts (the others are judged by status and the volunteer alone). */
const ACTOR_JUDGED: ReadonlySet<OrderEvent['type']> = new Set(['assign', 'cancel', 'resolve_dispute']);

/**
 * Commit one event: the first of several racing events wins (they queue on the order's row lock), the others
 * see the order as it now is and are refused by the state machine. Returns without carrying the outbox out.
 * @example await commitOrderEvent(deps, '42', { type: 'claim', volunteerId: 'v-li' }, { id: 'v-li', channel: 'sim' })
 */
export async function commitOrderEvent(deps: OrderDeps, orderId: string, event: OrderEvent, actor: Actor, seen?: Order): Promise<CommitResult> {
  // In a claim storm all but one claimant find the order taken: the caller's read of it says so, without
  // queueing on the order's lock (a release may make it claimable again a moment later, as it may after any answer).
  if (event.type === 'claim' && seen && !needsVolunteer(seen, event)) {
    const refused = transition(seen, event, { rules: deps.rules, actor: { id: actor.id, permissions: [] }, requiredSkills: [] }, deps.now());
    if (!refused.ok) return { ok: false, reason: refused.reason, order: seen };
  }
  return withTransaction(deps.db, async (tx) => {
    const before = await lockOrder(tx, orderId);
    if (!before) return { ok: false, reason: 'not_found', order: null };
    const ctx = await loadContext(deps, tx, before, event, actor);
    const result = transition(before, event, ctx, deps.now());
    if (!result.ok) return { ok: false, reason: result.reason, order: before, ...(result.otherNo ? { otherNo: result.otherNo } : {}) };
    await saveTransition(tx, before, result.order, event, actor);
    const queued: OrderEffect[] = [];
    for (const effect of result.effects) {
      if (DATABASE_EFFECTS.has(effect.type)) await writeDatabaseEffect(tx, result.order, effect);
      else queued.push(effect);
    }
    await insertEffects(tx, result.order, queued);
    return { ok: true, order: result.order, queued };
  });
}

async function loadContext(deps: OrderDeps, tx: Queryable, order: Order, event: OrderEvent, actor: Actor): Promise<TransitionContext> {
  const person = actor.id && ACTOR_JUDGED.has(event.type) ? await getPerson(tx, actor.id) : null;
  const settings = await deps.settingsOf(tx, order.communityId);
  const ctx: TransitionContext = {
    rules: { ...deps.rules, escalationMinutes: settings.escalationMinutes },
    actor: { id: actor.id, permissions: person ? permissionsOf(person.role) : [] },
    requiredSkills: categoryByCode(deps.catalogue, order.category).requiredSkills,
  };
  if ((event.type === 'claim' || event.type === 'assign') && needsVolunteer(order, event)) {
    ctx.volunteer = { id: event.volunteerId, ...(await lockVolunteer(tx, event.volunteerId)) };
  }
  return ctx;
}

async function writeDatabaseEffect(tx: Queryable, order: Order, effect: OrderEffect): Promise<void> {
  switch (effect.type) {
    case 'credit_hours':
      // The first credit of an order is keyed by the order; a later correction by the version that decided it.
      if (!(await creditServiceHours(tx, order.id, effect.volunteerId, effect.hours))) await adjustServiceHours(tx, order.id, order.version, effect.volunteerId, effect.hours);
      return;
    case 'reverse_hours':
      await adjustServiceHours(tx, order.id, order.version, effect.volunteerId, -effect.hours);
      return;
    case 'record_reliability':
      await recordReliability(tx, effect.volunteerId, {
        completed: effect.kind === 'completed' ? 1 : 0,
        noShows: effect.kind === 'completed' ? 0 : 1,
        rating: effect.kind === 'completed' && order.rating ? order.rating : 0,
      });
      return;
    case 'open_followup':
      await tx.query(
        `INSERT INTO followups (order_id, grid_id, worker_id)
         SELECT $1, $2, (SELECT worker_id FROM grids WHERE id = $2) ON CONFLICT (order_id) DO NOTHING`,
        [order.id, order.gridId],
      );
      return;
    case 'close_followup':
      await tx.query(`UPDATE followups SET status = 'closed', note = $2, closed_by = $3, closed_at = now() WHERE order_id = $1 AND status = 'open'`, [
        order.id,
        effect.note,
        effect.by,
      ]);
      return;
    default:
      throw new Error(`${effect.type} is not a database effect`);
  }
}
