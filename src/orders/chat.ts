/**
 * The order feature in chat: emergencies, order commands (接单, 完成, 派单, 处理 …), progress, confirming and
 * rating after a service, and free text that starts an order. main.ts places each where it belongs among
 * the other features.
 */
import { readAnswer, type ChatContext, type ChatFeature } from '../chat/index.js';
import { findPersonByName, type Person, type Room } from '../directory/index.js';
import { parseCommand, type Command } from './domain/commands.js';
import { isComplaint } from './domain/complaint.js';
import { extractAddress, parseIntake } from './domain/intake/index.js';
import { progressLine, say, STATUS_NAMES } from './domain/messages.js';
import type { OrderEvent, RefusalReason } from './domain/order-machine.js';
import type { Order } from './domain/types.js';
import { applyOrderEvent } from './effects.js';
import { completeEmergencyAddress, handleEmergency, ORDER_FLOW, type IntakeDeps } from './intake.js';
import { orderView } from './service.js';
import { findOrderAwaitingRating, getOrderByNo, listOrdersOfPerson } from './store.js';

type Feature<C> = ChatFeature<Person, Room, C>;
type Ctx = ChatContext<Person, Room>;
type OrderCommand = Extract<Command, { kind: 'claim' | 'release' | 'arrive' | 'complete' | 'assign' | 'cancel' | 'settle' }>;

const EVERYWHERE = ['private', 'team', 'workers', 'grid'] as const;
const NUMBERED = new Set<Command['kind']>(['claim', 'release', 'arrive', 'complete', 'assign', 'cancel', 'settle']);
const VERBS: Record<OrderCommand['kind'], string> = { claim: '接单', release: '放弃', arrive: '到达', complete: '完成', assign: '派单', cancel: '取消', settle: '处理' };

export function createOrdersChat(deps: IntakeDeps) {
  const intake = (text: string) => parseIntake(text, deps.now(), deps.terms);

  /** An emergency never waits: not for a form, not for a conversation in progress. */
  const emergency: Feature<true> = {
    name: 'orders.emergency',
    where: ['private'],
    recognise: (m) => (intake(m.text).category === 'emergency' ? true : null),
    async handle(_, ctx) {
      await ctx.flows.end();
      await handleEmergency(deps, ctx.person, ctx.text, ctx.channel, ctx.reply);
    },
  };

  /** The address someone sends after an emergency filed without one. */
  const emergencyAddress: Feature<true> = {
    name: 'orders.emergency_address',
    where: ['private'],
    recognise: (m) => (extractAddress(m.text) ? true : null),
    async handle(_, ctx) {
      const answer = await completeEmergencyAddress(deps, ctx.person, ctx.text);
      if (!answer) return 'pass';
      ctx.reply(answer);
    },
  };

  /** 接单 / 放弃 / 到达 / 完成 / 派单 / 取消 / 处理 with an order number (a bare 「已到」 in a check-in room answers the check-in). */
  const commands: Feature<OrderCommand> = {
    name: 'orders.commands',
    where: EVERYWHERE,
    recognise(m) {
      const cmd = parseCommand(m.text);
      if (!cmd || !NUMBERED.has(cmd.kind)) return null;
      const c = cmd as OrderCommand;
      if (c.no !== null) return c;
      if (c.kind === 'cancel') return m.room === null && m.conversation === null ? c : null; // in a conversation, 取消 leaves it
      return m.room === null || m.room.kind === 'team' ? c : null;
    },
    async handle(cmd, ctx) {
      const answer = await runOrderCommand(cmd, ctx);
      if (answer) ctx.reply(answer);
    },
  };

  /** 进度 / 我的单: a person's orders and where each stands. */
  const progress: Feature<true> = {
    name: 'orders.progress',
    where: EVERYWHERE,
    recognise: (m) => (parseCommand(m.text)?.kind === 'progress' ? true : null),
    async handle(_, ctx) {
      const orders = await listOrdersOfPerson(deps.db, ctx.person.id);
      ctx.reply(orders.length === 0 ? say.noOrders() : orders.map((o) => progressLine({ ...orderView(deps, o), status: o.status }, ctx.now)).join('\n'));
    },
  };

  /** After 完成: 「确认」, 「5 很好」, or a complaint such as 「志愿者没来」. Passes when no order waits for the resident. */
  const closing: Feature<Extract<OrderEvent, { type: 'rate' | 'confirm' }>> = {
    name: 'orders.closing',
    where: ['private'],
    recognise(m) {
      const cmd = parseCommand(m.text);
      if (cmd?.kind === 'rating') return { type: 'rate', stars: cmd.stars, comment: cmd.comment, complaint: cmd.complaint };
      if (readAnswer(m.text) === 'yes') return { type: 'confirm' };
      return isComplaint(m.text) ? { type: 'rate', stars: 1, comment: m.text, complaint: true } : null;
    },
    async handle(event, ctx) {
      const order = await findOrderAwaitingRating(deps.db, ctx.person.id);
      // A 「好的」 long after confirming is not about the order.
      if (!order || (event.type === 'confirm' && order.status !== 'done')) return 'pass';
      const result = await applyOrderEvent(deps, order.id, event, { id: ctx.person.id, channel: ctx.channel });
      if (!result.ok) ctx.reply(explain(result.reason, result.order, order.no, result.otherNo));
    },
  };

  /** Free text that says what is needed, when or where: the order conversation starts. */
  const request: Feature<true> = {
    name: 'orders.request',
    where: ['private'],
    recognise(m) {
      const parsed = intake(m.text);
      return parsed.category !== null || parsed.when.date !== null || extractAddress(m.text) !== null ? true : null;
    },
    async handle(_, ctx) {
      for (const r of await ctx.flows.start(ORDER_FLOW, ctx.text)) ctx.reply(r);
    },
  };

  async function runOrderCommand(cmd: OrderCommand, ctx: Ctx): Promise<string | null> {
    if (!cmd.no) return say.noNumber(VERBS[cmd.kind]);
    const order = await getOrderByNo(deps.db, cmd.no);
    if (!order) return say.unknownOrder(cmd.no);
    const { person } = ctx;
    let event: OrderEvent;
    let target = '';
    switch (cmd.kind) {
      case 'claim':
        event = { type: 'claim', volunteerId: person.id };
        break;
      case 'assign': {
        const found = ctx.mentioned[0] ? { id: ctx.mentioned[0], name: '' } : cmd.target ? await findPersonByName(deps.db, cmd.target, person.communityId) : null;
        if (!found) return say.assignTargetUnknown(cmd.target ?? '');
        target = cmd.target ?? found.name;
        event = { type: 'assign', volunteerId: found.id, by: person.id };
        break;
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
      case 'cancel':
        event = { type: 'cancel', by: person.id };
        break;
      case 'settle':
        if (order.status !== 'disputed') return say.notDisputed(order.no);
        if (cmd.approve === null) return say.settleHint(order.no);
        event = { type: 'resolve_dispute', approve: cmd.approve, hours: cmd.hours, by: person.id, noShow: cmd.noShow, note: cmd.note };
        break;
    }
    const result = await applyOrderEvent(deps, order.id, event, { id: person.id, channel: ctx.channel }, order);
    if (!result.ok) {
      if (cmd.kind === 'assign' && result.reason === 'not_volunteer') return say.assignNotVolunteer(target);
      if (cmd.kind === 'assign' && result.reason === 'overlapping') return say.assignOverlapping(order.no, target, result.otherNo ?? '');
      if (cmd.kind === 'assign' && result.reason === 'missing_skill') return say.assignMissingSkill(order.no, target, orderView(deps, order).categoryName);
      if (result.reason === 'forbidden') return cmd.kind === 'settle' ? say.settleForbidden() : say.assignForbidden();
      return explain(result.reason, result.order, order.no, result.otherNo);
    }
    switch (cmd.kind) {
      case 'claim':
        return null; // the winner's private message with the address is the order's own notice
      case 'assign':
        return say.assigned(order.no, target);
      case 'release':
        return say.released(order.no);
      case 'arrive':
        return say.arrived(order.no);
      case 'complete':
        return say.completedVolunteer(order.no, result.order.hours ?? 0);
      case 'cancel':
        // The resident hears it from the order's own notice; anyone else cancelling gets a word too.
        return order.residentId === person.id ? null : say.cancelledResident(order.no);
      case 'settle':
        return say.disputeSettled(order.no, cmd.approve === true, result.order.hours ?? 0);
    }
  }

  function explain(reason: RefusalReason | 'not_found', order: Order | null, no: string, otherNo?: string): string {
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
        return say.badHours(no, deps.rules.maxServiceHours);
      case 'not_found':
        return say.unknownOrder(no);
      case 'not_volunteer':
        return say.notVolunteer();
      case 'missing_skill':
        return say.missingSkill(no, order ? orderView(deps, order).categoryName : '');
      case 'overlapping':
        return say.overlapping(no, otherNo ?? '');
      case 'forbidden':
        return say.assignForbidden();
      default:
        return say.wrongStatus(no, order ? (STATUS_NAMES[order.status] ?? order.status) : '');
    }
  }

  return { emergency, emergencyAddress, commands, progress, closing, request };
}
