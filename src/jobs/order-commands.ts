import type { Command } from '../domain/commands.js';
import { say, STATUS_NAMES } from '../domain/messages.js';
import type { OrderEvent, RefusalReason } from '../domain/order-machine.js';
import { orderWindow, overlaps } from '../domain/overlap.js';
import type { Order } from '../domain/types.js';
import { getHeldOrders, getVolunteerSkills } from '../store/candidates.js';
import { categoryByCode } from '../store/catalogue.js';
import { findPersonByName, type Person } from '../store/directory.js';
import { findOrderAwaitingRating, getOrderByNo } from '../store/orders.js';
import { applyOrderEvent, type OrderDeps } from './order-actions.js';

type OrderCommand = Extract<Command, { kind: 'claim' | 'release' | 'arrive' | 'complete' | 'assign' | 'cancel' }>;

const VERBS: Record<OrderCommand['kind'], string> = {
  claim: '接单',
  release: '放弃',
  arrive: '到达',
  complete: '完成',
  assign: '派单',
  cancel: '取消',
};
const STAFF_ROLES = new Set(['worker', 'secretary', 'team_lead']);
const CANCEL_ROLES = new Set(['worker', 'secretary']);

function explain(reason: RefusalReason | 'not_found', order: Order | null, no: string, maxHours: number): string {
  switch (reason) {
    case 'already_claimed':
      return say.alreadyClaimed(no);
    case 'not_claimable':
    case 'not_open':
    case 'already_final':
      return say.notClaimable(no);
    case 'not_your_order':
      return say.notYours(no);
    case 'bad_hours':
      return say.badHours(no, maxHours);
    case 'not_found':
      return say.unknownOrder(no);
    default:
      return say.wrongStatus(no, order ? (STATUS_NAMES[order.status] ?? order.status) : '');
  }
}

/** Why a volunteer may not claim an order, or null when they may. */
async function claimRefusal(deps: OrderDeps, person: Person, order: Order): Promise<string | null> {
  const skills = await getVolunteerSkills(deps.db, person.id);
  if (!skills) return say.notVolunteer();
  const category = categoryByCode(deps.catalogue, order.category);
  const missing = (category?.requiredSkills ?? []).filter((s) => !skills.includes(s));
  if (missing.length > 0) return say.missingSkill(order.no, category?.name ?? '');
  const now = deps.now();
  const wanted = orderWindow(order.wantedAt, order.plannedHours, now);
  for (const held of await getHeldOrders(deps.db, person.id)) {
    if (held.no === order.no) continue;
    const w = orderWindow(held.wantedAt ?? held.updatedAt, held.plannedHours, now);
    if (overlaps(wanted.start, wanted.end, w.start, w.end)) return say.overlapping(order.no, held.no);
  }
  return null;
}

/**
 * Carry out an order command from chat and return the answer for the person who sent it.
 * `mentioned` are the directory ids of people @-mentioned with the command (for 派单).
 */
export async function runOrderCommand(deps: OrderDeps, person: Person, cmd: OrderCommand, mentioned: string[], channel: string): Promise<string | null> {
  if (!cmd.no) return say.noNumber(VERBS[cmd.kind]);
  const order = await getOrderByNo(deps.db, cmd.no);
  if (!order) return say.unknownOrder(cmd.no);
  const actor = { id: person.id, channel };
  const maxHours = deps.rules.maxServiceHours;
  let event: OrderEvent;
  switch (cmd.kind) {
    case 'claim': {
      if (order.status === 'claimed' || order.status === 'in_service') return say.alreadyClaimed(order.no);
      const refusal = await claimRefusal(deps, person, order);
      if (refusal) return refusal;
      event = { type: 'claim', volunteerId: person.id };
      break;
    }
    case 'assign': {
      if (!STAFF_ROLES.has(person.role)) return say.assignForbidden();
      const target = mentioned[0] ? { id: mentioned[0], name: '' } : cmd.target ? await findPersonByName(deps.db, cmd.target, person.communityId) : null;
      if (!target) return say.assignTargetUnknown(cmd.target ?? '');
      const skills = await getVolunteerSkills(deps.db, target.id);
      if (!skills) return say.assignNotVolunteer(cmd.target ?? target.name);
      event = { type: 'assign', volunteerId: target.id, by: person.id };
      const result = await applyOrderEvent(deps, order.id, event, actor);
      return result.ok ? say.assigned(order.no, cmd.target ?? target.name) : explain(result.reason, result.order, order.no, maxHours);
    }
    case 'release':
      event = { type: 'release', volunteerId: person.id };
      break;
    case 'arrive':
      event = { type: 'arrive', volunteerId: person.id };
      break;
    case 'complete':
      event = { type: 'complete', volunteerId: person.id, hours: cmd.hours };
      break;
    case 'cancel': {
      const allowed = order.residentId === person.id || order.createdBy === person.id || CANCEL_ROLES.has(person.role);
      if (!allowed) return say.notYours(order.no);
      event = { type: 'cancel', by: person.id };
      const result = await applyOrderEvent(deps, order.id, event, actor);
      if (!result.ok) return explain(result.reason, result.order, order.no, maxHours);
      // The resident hears it from the order's own notice; anyone else cancelling gets a word too.
      return order.residentId === person.id ? null : say.cancelledResident(order.no);
    }
  }
  const result = await applyOrderEvent(deps, order.id, event, actor);
  if (!result.ok) return explain(result.reason, result.order, order.no, maxHours);
  switch (cmd.kind) {
    case 'claim':
      return null; // the winner's private message with the address is the order's own notice
    case 'release':
      return say.released(order.no);
    case 'arrive':
      return say.arrived(order.no);
    case 'complete':
      return say.completedVolunteer(order.no, result.order.hours ?? 0);
  }
}

/** A resident's 「5 很好」 or 「确认」 after the volunteer marked the service done. */
export async function runClosingCommand(
  deps: OrderDeps,
  person: Person,
  cmd: Extract<Command, { kind: 'rating' | 'confirm' }>,
  channel: string,
): Promise<string | null | undefined> {
  const order = await findOrderAwaitingRating(deps.db, person.id);
  if (!order) return undefined;
  const event: OrderEvent = cmd.kind === 'rating' ? { type: 'rate', stars: cmd.stars, comment: cmd.comment, complaint: cmd.complaint } : { type: 'confirm' };
  const result = await applyOrderEvent(deps, order.id, event, { id: person.id, channel });
  if (!result.ok) return explain(result.reason, result.order, order.no, deps.rules.maxServiceHours);
  return null;
}
