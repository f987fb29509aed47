import { randomInt } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Flows } from '../conversation/flow.js';
import { startSession, step, type OrderDraft, type Session, type StepContext } from '../conversation/step.js';
import { classifyCategory, extractAddress, extractWhen } from '../domain/intake/index.js';
import { say } from '../domain/messages.js';
import { parseLocal } from '../domain/shanghai-time.js';
import type { CategoryCode, Order } from '../domain/types.js';
import { categoryByCode } from '../store/catalogue.js';
import { defaultCommunityId, getCommunity, locateBuilding, saveProfile, staffFor, type Person } from '../store/directory.js';
import { ADDRESS_PENDING, fillPendingAddress, findOpenDuplicate, insertOrder } from '../store/orders.js';
import type { SessionStore } from '../store/sessions.js';
import { orderView, type OrderDeps } from './order-actions.js';

export interface IntakeDeps extends OrderDeps {
  flows: Flows;
  sessions: SessionStore;
  idleMinutes: number;
}


const ORDER_NUMBER_MIN = 100_000;
const ORDER_NUMBER_MAX = 1_000_000;
const pickOrderNumber = () => String(randomInt(ORDER_NUMBER_MIN, ORDER_NUMBER_MAX));
/** A need whose words match no service is most often an errand (买药, 缴费, 跑腿). */
const FALLBACK_CATEGORY = 'errand';
/** Where a date without a time is planned, so that ranking can judge availability. */
const DEFAULT_TIME = '09:00';

function stepContext(deps: IntakeDeps, person: Person): StepContext {
  return {
    now: deps.now(),
    saved: { address: person.address ? { text: person.address, building: person.building } : null, phone: person.phone },
    idleMinutes: deps.idleMinutes,
    categoryName: (code: CategoryCode) => categoryByCode(deps.catalogue, code)?.name ?? code,
  };
}

/** Start an order conversation from free text. */
export async function startIntake(deps: IntakeDeps, person: Person, text: string, channel: string): Promise<string[]> {
  const result = startSession(deps.flows.order!, text, stepContext(deps, person));
  if (result.session) await deps.sessions.save(person.id, result.session);
  return result.replies.length > 0 ? result.replies : submit(deps, person, result.draft, null, channel);
}

/** Advance a conversation in progress. */
export async function continueIntake(deps: IntakeDeps, person: Person, session: Session, text: string, channel: string): Promise<string[]> {
  const result = step(deps.flows.order!, session, text, stepContext(deps, person));
  if (result.action === 'submit_order') return [...result.replies, ...(await submit(deps, person, result.draft, session, channel))];
  if (result.session) await deps.sessions.save(person.id, { ...result.session, duplicateAsked: session.duplicateAsked });
  else await deps.sessions.clear(person.id);
  return result.replies;
}

async function placeOf(deps: IntakeDeps, person: Person, building: string | null) {
  const communityId = person.communityId ?? (await defaultCommunityId(deps.db));
  if (!communityId) throw new Error('No community in the directory; seed one first');
  const community = await getCommunity(deps.db, communityId);
  const located = await locateBuilding(deps.db, communityId, building);
  const lat = located.lat ?? person.lat ?? community?.lat ?? 0;
  const lng = located.lng ?? person.lng ?? community?.lng ?? 0;
  const area = `${community?.name ?? ''}${building ? ` ${building}号楼附近` : ''}`;
  return { communityId, gridId: located.gridId ?? person.gridId, lat, lng, area };
}

async function submit(deps: IntakeDeps, person: Person, draft: OrderDraft, session: Session | null, channel: string): Promise<string[]> {
  const category = draft.category ? categoryByCode(deps.catalogue, draft.category) : undefined;
  if (!category || !draft.address) throw new Error('submit_order reached with an incomplete draft');
  if (!session?.duplicateAsked) {
    const dup = await findOpenDuplicate(deps.db, person.id, category.code, draft.address.text);
    if (dup && session) {
      await deps.sessions.save(person.id, { ...session, draft, duplicateAsked: true, updatedAt: deps.now().toISOString() });
      return [say.duplicate(dup.no)];
    }
  }
  await deps.sessions.clear(person.id);
  await saveProfile(deps.db, person.id, { address: draft.address.text, building: draft.address.building, phone: draft.phone ?? undefined });
  const place = await placeOf(deps, person, draft.address.building);
  const when = draft.when;
  const wantedAt = when && !when.asap && when.date ? parseLocal(when.date, when.time ?? DEFAULT_TIME) : null;
  const order = await insertOrder(
    deps.db,
    { residentId: person.id, createdBy: person.id, ...place, category: category.code, description: draft.description, urgent: false,
      wantedAt, plannedHours: category.defaultHours, address: draft.address.text, phone: draft.phone },
    pickOrderNumber,
    { id: person.id, channel },
  );
  await enqueueDispatch(deps.orderQueue, order);
  return [say.submitted(orderView(deps, order), deps.now())];
}

/** The dispatch job's id is the order's, so a retried submit never dispatches twice. */
export async function enqueueDispatch(queue: Queue, order: Order): Promise<void> {
  await queue.add('dispatch', { orderId: order.id }, { jobId: `dispatch-${order.id}`, priority: order.urgent ? 1 : 5 });
}

/**
 * An emergency never waits for a form: guidance first, then the order, the staff alert and the
 * offer to everyone nearby. Replies are sent as they are ready, the guidance within the second.
 */
export async function handleEmergency(deps: IntakeDeps, person: Person, text: string, channel: string, reply: (text: string) => Promise<void>): Promise<void> {
  await reply(say.emergency());
  await deps.sessions.clear(person.id);
  const place = await placeOf(deps, person, person.building);
  const order = await insertOrder(
    deps.db,
    { residentId: person.id, createdBy: person.id, ...place, category: 'emergency', description: text.slice(0, 500), urgent: true,
      wantedAt: null, plannedHours: categoryByCode(deps.catalogue, 'emergency')?.defaultHours ?? 1,
      address: person.address ?? ADDRESS_PENDING, phone: person.phone },
    pickOrderNumber,
    { id: person.id, channel },
  );
  await enqueueDispatch(deps.orderQueue, order);
  const staff = await staffFor(deps.db, order.communityId, order.gridId);
  const names = staff.map((s) => s.name).join('、') || '社区工作人员';
  const alert = say.emergencyStaff(orderView(deps, order), person.name, names);
  await Promise.all(staff.map((s) => deps.notifier.toPerson(s.id, alert)));
  await reply(say.emergencyOrder(order.no, person.address !== null));
}

/**
 * After an emergency filed without an address, the next message with one completes it; the volunteer
 * already on the way hears it too. Returns the replies, or null when there was nothing to complete.
 */
export async function completeEmergencyAddress(deps: IntakeDeps, person: Person, text: string): Promise<string[] | null> {
  const address = extractAddress(text);
  if (!address) return null;
  const order = await fillPendingAddress(deps.db, person.id, address.text);
  if (!order) return null;
  await saveProfile(deps.db, person.id, { address: address.text, building: address.building });
  if (order.volunteerId) await deps.notifier.toPerson(order.volunteerId, say.emergencyAddress(order.no, address.text));
  return [say.emergencyAddressNoted(order.no)];
}

/**
 * 转单 / 代点单: a worker turns a need from the needs list into an order. The worker stands in for the
 * resident (notices about the order reach the worker, who knows the household); the text gives the
 * category, time and building where it can.
 */
export async function orderForNeed(deps: IntakeDeps, worker: Person, communityId: string, text: string, gridId: string | null): Promise<Order> {
  const now = deps.now();
  const category = classifyCategory(text).category ?? FALLBACK_CATEGORY;
  const when = extractWhen(text, now);
  const address = extractAddress(text);
  const place = await placeOf(deps, { ...worker, communityId }, address?.building ?? null);
  const order = await insertOrder(
    deps.db,
    { residentId: worker.id, createdBy: worker.id, ...place, gridId: place.gridId ?? gridId, category, description: text.slice(0, 500),
      urgent: category === 'emergency', wantedAt: when.date && !when.asap ? parseLocal(when.date, when.time ?? DEFAULT_TIME) : null,
      plannedHours: categoryByCode(deps.catalogue, category)?.defaultHours ?? 1, address: address?.text ?? place.area, phone: worker.phone },
    pickOrderNumber,
    { id: worker.id, channel: 'checkin' },
  );
  await enqueueDispatch(deps.orderQueue, order);
  return order;
}
