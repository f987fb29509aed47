/**
 * Placing orders (点单): the order flow's slot types and its submit action, emergencies that never wait for
 * a form, an address sent after an emergency, and 转单 (a worker ordering for a resident from the needs list).
 */
import { randomInt } from 'node:crypto';
import type { FlowAction, SlotType } from '../chat/index.js';
import { categoryByCode, defaultCommunityId, getCommunity, locateBuilding, saveProfile, staffFor, type CategoryCode, type Person } from '../directory/index.js';
import { parseLocal } from '../kernel/shanghai-time.js';
import { classifyCategory, extractAddress, extractPhone, extractWhen, type Term } from './domain/intake/index.js';
import { say } from './domain/messages.js';
import type { Order } from './domain/types.js';
import { enqueueDispatch, orderView, type OrderDeps } from './service.js';
import { ADDRESS_PENDING, fillPendingAddress, findOpenDuplicate, insertOrder } from './store.js';

export interface IntakeDeps extends OrderDeps {
  /** The lexicon with the catalogue's words. */
  terms: readonly Term[];
}

export interface WhenValue {
  date: string | null;
  time: string | null;
  asap: boolean;
}
export interface AddressValue {
  text: string;
  building: string | null;
}

const ORDER_NUMBER_MIN = 100_000;
const ORDER_NUMBER_MAX = 1_000_000;
const pickOrderNumber = () => String(randomInt(ORDER_NUMBER_MIN, ORDER_NUMBER_MAX));
/** A need whose words match no service is most often an errand (买药, 缴费, 跑腿). */
const FALLBACK_CATEGORY = 'errand';
/** Where a date without a time is planned, so that ranking can judge availability. */
const DEFAULT_TIME = '09:00';
/** The flow a resident's request runs through (flows/order.yaml). */
export const ORDER_FLOW = 'order';
/** Set once the resident was asked whether the order repeats an open one, so 「确认」 then goes ahead. */
const DUPLICATE_ASKED = 'duplicateAsked';

const wantedAt = (when: WhenValue | null | undefined) => (when && !when.asap && when.date ? parseLocal(when.date, when.time ?? DEFAULT_TIME) : null);

/**
 * The order flow's slot types. A category is read only from the first message or when asked: a later
 * answer (an address) would otherwise be mistaken for a new request.
 */
export function createOrderSlots(deps: Pick<IntakeDeps, 'catalogue' | 'terms'>): SlotType<Person>[] {
  const categoryName = (code: CategoryCode) => categoryByCode(deps.catalogue, code).name;
  const category: SlotType<Person, CategoryCode> = {
    name: 'category',
    anytime: false,
    read: (text) => {
      const c = classifyCategory(text, deps.terms).category;
      return c && c !== 'emergency' ? c : null;
    },
    format: (code) => (code ? categoryName(code) : ''),
  };
  const when: SlotType<Person, WhenValue> = {
    name: 'when',
    read: (text, ctx) => {
      const w = extractWhen(text, ctx.now);
      return w.date || w.time || w.asap ? { date: w.date, time: w.time, asap: w.asap } : null;
    },
    format: (w, ctx) => {
      if (!w || w.asap || (!w.date && !w.time)) return ctx.say(w?.asap ? 'asap' : 'time_unset');
      const date = w.date ? `${Number(w.date.slice(5, 7))}月${Number(w.date.slice(8, 10))}日` : '';
      return [date, w.time ?? ''].filter(Boolean).join(' ');
    },
  };
  const address: SlotType<Person, AddressValue> = {
    name: 'address',
    read: (text) => {
      const a = extractAddress(text);
      return a ? { text: a.text, building: a.building } : null;
    },
    saved: ({ person }) => (person.address ? { text: person.address, building: person.building } : null),
    format: (a) => a?.text ?? '',
  };
  const phone: SlotType<Person, string> = {
    name: 'phone',
    read: (text) => extractPhone(text),
    saved: ({ person }) => person.phone,
    format: (p) => p ?? '',
  };
  return [category, when, address, phone] as SlotType<Person>[];
}

/** The order flow's action: ask once about an open duplicate, then place the order and dispatch it. */
export function createSubmitOrder(deps: IntakeDeps): FlowAction<Person> {
  return async ({ person, values, firstText, flags, channel }) => {
    const code = values.category as CategoryCode | undefined;
    const address = values.address as AddressValue | undefined;
    if (!code || !address) throw new Error('submit_order reached with an incomplete draft');
    if (!flags[DUPLICATE_ASKED]) {
      const dup = await findOpenDuplicate(deps.db, person.id, code, address.text);
      if (dup) return { replies: [say.duplicate(dup.no)], hold: { [DUPLICATE_ASKED]: true } };
    }
    const phone = (values.phone as string | undefined) ?? null;
    await saveProfile(deps.db, person.id, { address: address.text, building: address.building, phone: phone ?? undefined });
    const place = await placeOf(deps, person, address.building);
    const category = categoryByCode(deps.catalogue, code);
    const order = await insertOrder(
      deps.db,
      { residentId: person.id, createdBy: person.id, ...place, category: code, description: firstText, urgent: false,
        wantedAt: wantedAt(values.when as WhenValue | undefined), plannedHours: category.defaultHours, address: address.text, phone },
      pickOrderNumber,
      { id: person.id, channel },
    );
    await dispatchSoon(deps, order);
    return { replies: [say.submitted(orderView(deps, order), deps.now())] };
  };
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

/** Queue the order's dispatch; the order is placed whatever happens, and the sweep dispatches it if Redis is away. */
async function dispatchSoon(deps: IntakeDeps, order: Order): Promise<void> {
  await enqueueDispatch(deps, order).catch((err: unknown) => deps.log.warn({ err, orderId: order.id }, 'dispatch not queued yet; the sweep will queue it'));
}

/**
 * An emergency never waits for a form: guidance first, then the order, the staff alert and the offer to
 * everyone nearby. Replies are sent as they are ready, the guidance within the second.
 */
export async function handleEmergency(deps: IntakeDeps, person: Person, text: string, channel: string, reply: (text: string) => void): Promise<void> {
  reply(say.emergency());
  const place = await placeOf(deps, person, person.building);
  const order = await insertOrder(
    deps.db,
    { residentId: person.id, createdBy: person.id, ...place, category: 'emergency', description: text.slice(0, 500), urgent: true,
      wantedAt: null, plannedHours: categoryByCode(deps.catalogue, 'emergency').defaultHours,
      address: person.address ?? ADDRESS_PENDING, phone: person.phone },
    pickOrderNumber,
    { id: person.id, channel },
  );
  await dispatchSoon(deps, order);
  const staff = await staffFor(deps.db, order.communityId, order.gridId);
  const names = staff.map((s) => s.name).join('、') || '社区工作人员';
  const alert = say.emergencyStaff(orderView(deps, order), person.name, names);
  await deps.notifier.transaction(async (tx) => {
    for (const s of staff) await tx.toPerson(s.id, alert);
  });
  reply(say.emergencyOrder(order.no, person.address !== null));
}

/**
 * After an emergency filed without an address, the next message with one completes it; the volunteer
 * already on the way hears it too. Returns the reply, or null when there was nothing to complete.
 */
export async function completeEmergencyAddress(deps: IntakeDeps, person: Person, text: string): Promise<string | null> {
  const address = extractAddress(text);
  if (!address) return null;
  const order = await fillPendingAddress(deps.db, person.id, address.text);
  if (!order) return null;
  await saveProfile(deps.db, person.id, { address: address.text, building: address.building });
  if (order.volunteerId) await deps.notifier.toPerson(order.volunteerId, say.emergencyAddress(order.no, address.text));
  return say.emergencyAddressNoted(order.no);
}

/**
 * 转单 / 代点单: a worker turns a need from the needs list into an order. The worker stands in for the
 * resident (notices about the order reach the worker, who knows the household); the text gives the
 * category, time and building where it can.
 */
export async function orderForNeed(deps: IntakeDeps, worker: Person, communityId: string, text: string, gridId: string | null): Promise<Order> {
  const now = deps.now();
  const category = classifyCategory(text, deps.terms).category ?? FALLBACK_CATEGORY;
  const when = extractWhen(text, now);
  const address = extractAddress(text);
  const place = await placeOf(deps, { ...worker, communityId }, address?.building ?? null);
  const order = await insertOrder(
    deps.db,
    { residentId: worker.id, createdBy: worker.id, ...place, gridId: place.gridId ?? gridId, category, description: text.slice(0, 500),
      urgent: category === 'emergency', wantedAt: wantedAt(when), plannedHours: categoryByCode(deps.catalogue, category).defaultHours,
      address: address?.text ?? place.area, phone: worker.phone },
    pickOrderNumber,
    { id: worker.id, channel: 'checkin' },
  );
  await dispatchSoon(deps, order);
  return order;
}
