/**
 * Carrying out the effects outbox: each pending effect of an order, in order, exactly once. What an effect
 * needs to read (ranking, recipients) is read first; then, in one transaction, its row is locked, checked
 * still pending, its messages or offers written and the row marked done. Timers are BullMQ jobs keyed by the
 * order and version, so a repeat after a crash is ignored.
 */
import type { Queryable } from '../platform/db.js';
import { addWithin } from '../platform/queues.js';
import type { Sweep } from '../platform/sweeper.js';
import { nextSendTime } from '../kernel/quiet-hours.js';
import type { Outbox } from '../chat/index.js';
import type { OrderEffect, OrderEvent } from './domain/order-machine.js';
import type { Order } from './domain/types.js';
import { renderNotices } from './notices.js';
import { commitOrderEvent, enqueueDispatch, orderView, type Actor, type ApplyResult, type OrderDeps } from './service.js';
import { listOrdersWithStrandedEffects, listPendingEffects, lockPendingEffects, markEffectsDone, type PendingEffect } from './outbox-store.js';
import { listStrandedSubmitted } from './store.js';

/** Effects still pending this long after their transition are processed again by the sweep. */
const STRANDED_AFTER_MS = 15_000;
/** Retries of an order's effects after a failure, with growing pauses (about half an hour in all). */
const EFFECT_RETRIES = { attempts: 10, backoff: { type: 'exponential', delay: 1000 } } as const;

export const EFFECTS_QUEUE = 'order-effects';

type Write = (tx: Queryable, out: Outbox) => Promise<void>;

/**
 * Commit an event and carry out its effects. A failure while carrying them out leaves them in the outbox and
 * queues a retry; the caller learns only whether the transition itself happened. `seen`: the order as the caller
 * just read it, which lets a claim of a taken order be refused without waiting on the order's lock.
 */
export async function applyOrderEvent(deps: OrderDeps, orderId: string, event: OrderEvent, actor: Actor, seen?: Order): Promise<ApplyResult> {
  const result = await commitOrderEvent(deps, orderId, event, actor, seen);
  if (!result.ok) return result;
  deps.log.info({ orderId, no: result.order.no, event: event.type, to: result.order.status }, 'order transition');
  if (result.queued.length > 0) {
    const known = result.queued.map((effect, seq) => ({ orderId, version: result.order.version, seq, effect, snapshot: result.order }));
    await processEffectsOrRetry(deps, orderId, result.order.version, known);
  }
  return { ok: true, order: result.order };
}

async function processEffectsOrRetry(deps: OrderDeps, orderId: string, version: number, known: PendingEffect[]): Promise<void> {
  try {
    await processEffects(deps, orderId, known);
  } catch (err) {
    deps.log.warn({ err, orderId }, 'order effects failed; retrying');
    // With Redis away too, the sweep finds the effects once it is back.
    await addWithin(deps.effectsQueue, 'effects', { orderId }, { jobId: `fx-${orderId}-${version}`, ...EFFECT_RETRIES }).catch(() => undefined);
  }
}

/**
 * Carry out every pending effect of an order, oldest first, in one transaction per batch. Safe to run twice or
 * concurrently: the batch locks the order's pending rows and carries out only those still pending.
 * `known`: the effects just committed (the caller has them), which saves reading them back.
 */
export async function processEffects(deps: OrderDeps, orderId: string, known?: PendingEffect[]): Promise<number> {
  let done = 0;
  let batch = known ?? (await listPendingEffects(deps.db, orderId));
  while (batch.length > 0) {
    const prepared = await Promise.all(batch.map(async (e) => ({ e, write: await prepare(deps, e.snapshot, e.effect as OrderEffect) })));
    const unseen = await deps.notifier.transaction(async (tx) => {
      const locked = await lockPendingEffects(tx.db, orderId);
      const key = (e: Pick<PendingEffect, 'version' | 'seq'>) => `${e.version}/${e.seq}`;
      const pending = new Set(locked.map(key));
      const mine = new Set(prepared.map(({ e }) => key(e)));
      // An earlier version's effects still wait (rare: its processing failed): they go first, so read them all.
      const first = prepared[0]!.e;
      if (locked.some((l) => !mine.has(key(l)) && (l.version < first.version || (l.version === first.version && l.seq < first.seq)))) return true;
      const written: PendingEffect[] = [];
      for (const { e, write } of prepared) {
        if (!pending.has(key(e))) continue; // carried out meanwhile by someone else
        await write(tx.db, tx);
        written.push(e);
      }
      await markEffectsDone(tx.db, orderId, written);
      done += written.length;
      // Pending effects this batch did not prepare (newer ones): another round.
      return locked.some((l) => !mine.has(key(l)));
    });
    batch = unseen ? await listPendingEffects(deps.db, orderId) : [];
  }
  return done;
}

/** Read what the effect needs; return the writes for the transaction. */
async function prepare(deps: OrderDeps, order: Order, effect: OrderEffect): Promise<Write> {
  const now = deps.now();
  const view = orderView(deps, order);
  switch (effect.type) {
    case 'notify': {
      const notices = await renderNotices(deps.db, order, view, effect.audience, effect.message, now);
      return async (_, out) => {
        for (const n of notices) await (n.to === 'person' ? out.toPerson(n.id, n.text) : out.toRoom(n.id, n.text));
      };
    }
    case 'dispatch': {
      const plan = await deps.dispatcher.plan(order, view, effect.level as 0 | 1 | 2, effect.allNearby, now);
      return (tx, out) => deps.dispatcher.write(tx, out, order, plan);
    }
    case 'schedule_escalation': {
      const { quietHours } = await deps.settingsOf(deps.db, order.communityId);
      const at = nextSendTime(new Date(now.getTime() + effect.delayMs), quietHours, order.urgent);
      const delay = Math.max(0, at.getTime() - now.getTime());
      const data = { orderId: order.id, level: effect.level, atVersion: effect.atVersion };
      return async () => void (await addWithin(deps.orderQueue, 'escalate', data, { jobId: `escalate-${order.id}-${effect.atVersion}`, delay }));
    }
    case 'schedule_auto_confirm':
      return async () =>
        void (await addWithin(deps.orderQueue, 'auto_confirm', { orderId: order.id }, { jobId: `autoconfirm-${order.id}-${order.version}`, delay: effect.delayMs }));
    default:
      throw new Error(`${effect.type} is written with the transition, not through the outbox`);
  }
}

/**
 * Orders whose effects were never carried out (a crash after commit, a failure whose retry was lost), and orders
 * submitted but never dispatched (the dispatch job was lost the same way).
 */
export function createEffectsSweep(deps: OrderDeps & { queueReady: () => boolean }): Sweep {
  return {
    name: 'order-effects',
    async run(atStartup) {
      if (!deps.queueReady()) return 0;
      const before = new Date(Date.now() - (atStartup ? 0 : STRANDED_AFTER_MS));
      const stranded = await listOrdersWithStrandedEffects(deps.db, before);
      for (const s of stranded) await deps.effectsQueue.add('effects', { orderId: s.orderId }, { jobId: `fx-${s.orderId}-${s.version}`, ...EFFECT_RETRIES });
      const submitted = await listStrandedSubmitted(deps.db, before);
      for (const order of submitted) await enqueueDispatch(deps, order);
      return stranded.length + submitted.length;
    },
  };
}
