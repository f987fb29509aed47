import type { ChatFeature, Notifier } from '../chat/index.js';
import { getCommunity, type Person, type Room } from '../directory/index.js';
import type { Db } from '../platform/db.js';
import { checkinSay, parseCheckinReply, type CheckinLine } from './domain/checkin.js';
import { claimConversion, closeItem, finishConversion, getItem, insertItem } from './items.js';
import { markAnswered, openSlotOfRoom } from './store.js';

export interface CheckinChatDeps {
  db: Db;
  notifier: Notifier;
  now: () => Date;
  /** 转单: place an order for a need, on the resident's behalf (the orders feature). */
  orderForNeed(worker: Person, communityId: string, text: string, gridId: string | null): Promise<{ id: string; no: string }>;
}

/**
 * Everything said in a workers or grid room that no feature before took: an answer to the check-in.
 * @example createCheckinChat(deps).name // 'checkins'
 */
export function createCheckinChat(deps: CheckinChatDeps): ChatFeature<Person, Room, true> {
  return {
    name: 'checkins',
    where: ['workers', 'grid'],
    recognise: () => true,
    async handle(_, ctx) {
      if (ctx.room) await handleCheckinMessage(deps, ctx.person, ctx.room, ctx.text, ctx.reply);
    },
  };
}

/**
 * A message in a workers or grid room: any reply from an expected person while a slot is open counts
 * as their check-in; 需求/隐患 lines become items, 销号 closes one, 转单 turns a need into an order.
 */
async function handleCheckinMessage(deps: CheckinChatDeps, person: Person, room: Room, text: string, reply: (t: string) => void): Promise<void> {
  const slot = await openSlotOfRoom(deps.db, room.id);
  const counted = slot ? await markAnswered(deps.db, slot.id, person.id, deps.now()) : false;
  const parsed = parseCheckinReply(text);
  const answers: string[] = [];
  for (const line of parsed.lines) {
    const answer = await runLine(deps, person, room, slot?.id ?? null, line);
    if (answer) answers.push(answer);
  }
  const hasCommand = parsed.lines.some((l) => l.kind !== 'ok');
  // A reply we cannot read still counts; the person learns the format. Chatter outside a slot stays quiet.
  if (parsed.unparsed && !hasCommand && (counted || slot)) answers.push(checkinSay.hint());
  if (answers.length > 0) reply(answers.join('\n'));
}

async function runLine(deps: CheckinChatDeps, person: Person, room: Room, slotId: string | null, line: CheckinLine): Promise<string | null> {
  switch (line.kind) {
    case 'ok':
      return null;
    case 'need':
    case 'risk': {
      const level = line.kind === 'risk' ? line.level : null;
      const no = await insertItem(deps.db, { kind: line.kind, communityId: room.communityId, roomId: room.id, slotId, reporterId: person.id, text: line.text, level });
      if (level === '重大') await alertMajorRisk(deps, room, no, line.text, person.name);
      return checkinSay.itemCreated(line.kind, no, level ?? undefined);
    }
    case 'close': {
      const item = await getItem(deps.db, line.no);
      if (!item || item.communityId !== room.communityId) return checkinSay.itemNotFound(line.no);
      return (await closeItem(deps.db, line.no, person.id, line.note)) ? checkinSay.itemClosed(line.no) : checkinSay.itemAlreadyClosed(line.no);
    }
    case 'convert': {
      const item = await getItem(deps.db, line.no);
      if (!item || item.communityId !== room.communityId) return checkinSay.itemNotFound(line.no);
      if (item.kind !== 'need' || item.status !== 'open') return checkinSay.notANeed(line.no);
      if (!(await claimConversion(deps.db, line.no, person.id))) return checkinSay.notANeed(line.no);
      try {
        const order = await deps.orderForNeed(person, room.communityId, item.text, item.gridId);
        await finishConversion(deps.db, line.no, order.id);
        return checkinSay.converted(line.no, order.no);
      } catch (err) {
        await finishConversion(deps.db, line.no, null);
        throw err;
      }
    }
  }
}

async function alertMajorRisk(deps: CheckinChatDeps, room: Room, no: string, text: string, reporterName: string): Promise<void> {
  const community = await getCommunity(deps.db, room.communityId);
  if (community?.secretaryId) await deps.notifier.toPerson(community.secretaryId, checkinSay.majorRisk(community.name, no, text, reporterName));
}
