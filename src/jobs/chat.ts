import { message } from '../conversation/flow.js';
import { parseCommand, type Command } from '../domain/commands.js';
import { extractAddress, parseIntake, type IntakeResult } from '../domain/intake/index.js';
import { progressLine, say } from '../domain/messages.js';
import type { Person, Room } from '../store/directory.js';
import { listOrdersOfPerson } from '../store/orders.js';
import { handleCheckinMessage } from './checkin-chat.js';
import { completeEmergencyAddress, continueIntake, handleEmergency, startIntake, type IntakeDeps } from './intake.js';
import { orderView } from './order-actions.js';
import { runClosingCommand, runOrderCommand } from './order-commands.js';

export interface IncomingChat {
  person: Person;
  room: Room | null;
  text: string;
  channel: string;
  mentionsBot: boolean;
  /** Directory ids of the people @-mentioned. */
  mentioned: string[];
}

const ORDER_COMMANDS = new Set(['claim', 'release', 'arrive', 'complete', 'assign', 'cancel']);
/** Words that turn a message after a service into a complaint (SPEC §4.7). */
const COMPLAINT = /没来|没到|没解决|没修好|不满意|投诉/;
/** Longest text we try to understand; anything longer is cut, never refused. */
const MAX_TEXT = 2000;

function help(deps: IntakeDeps, person: Person): string {
  return message(deps.flows.help!, person.role);
}

async function progress(deps: IntakeDeps, person: Person): Promise<string> {
  const orders = await listOrdersOfPerson(deps.db, person.id);
  if (orders.length === 0) return say.noOrders();
  const now = deps.now();
  return orders.map((o) => progressLine({ ...orderView(deps, o), status: o.status }, now)).join('\n');
}

function isOrderCommand(cmd: Command | null): cmd is Extract<Command, { kind: 'claim' | 'release' | 'arrive' | 'complete' | 'assign' | 'cancel' }> {
  return cmd !== null && ORDER_COMMANDS.has(cmd.kind) && !(cmd.kind === 'cancel' && cmd.no === null);
}

/**
 * Decide what one chat message means and answer it. Roles come from the directory; the text only
 * chooses among what that person may do. Replies are sent through `reply` (privately, or in the room
 * with the sender mentioned).
 */
export async function handleChat(deps: IntakeDeps, chat: IncomingChat, reply: (text: string) => Promise<void>): Promise<void> {
  const text = chat.text.slice(0, MAX_TEXT);
  const cmd = parseCommand(text);
  const { person } = chat;

  if (chat.room) {
    // In check-in rooms a bare 「已到」 is an answer to the prompt; order commands there carry a number.
    const checkinRoom = chat.room.kind !== 'team';
    if (isOrderCommand(cmd) && !(checkinRoom && cmd.no === null)) {
      const answer = await runOrderCommand(deps, person, cmd, chat.mentioned, chat.channel);
      if (answer) await reply(answer);
    } else if (cmd?.kind === 'help') {
      await reply(help(deps, person));
    } else if (cmd?.kind === 'progress') {
      await reply(await progress(deps, person));
    } else if (checkinRoom) {
      await handleCheckinMessage(deps, person, chat.room, text, reply);
    } else if (chat.mentionsBot) {
      await reply(message(deps.flows.help!, 'group_unknown'));
    }
    return; // ordinary group talk is not for the bot
  }

  const intake = parseIntake(text, deps.now());
  if (intake.category === 'emergency') return handleEmergency(deps, person, text, chat.channel, reply);

  const completed = await completeEmergencyAddress(deps, person, text);
  if (completed) {
    for (const r of completed) await reply(r);
    return;
  }
  const session = await deps.sessions.get(person.id);
  if (session && !isOrderCommand(cmd) && cmd?.kind !== 'help' && cmd?.kind !== 'progress') {
    for (const r of await continueIntake(deps, person, session, text, chat.channel)) await reply(r);
    return;
  }
  const answers = await answerPrivate(deps, chat, text, cmd, intake);
  for (const a of answers) await reply(a);
  if (session && (cmd?.kind === 'help' || cmd?.kind === 'progress')) await reply(say.draftWaiting());
}

async function answerPrivate(deps: IntakeDeps, chat: IncomingChat, text: string, cmd: Command | null, intake: IntakeResult): Promise<string[]> {
  const { person } = chat;
  if (cmd?.kind === 'cancel' && cmd.no === null) return [say.noNumber('取消')];
  if (isOrderCommand(cmd)) {
    const answer = await runOrderCommand(deps, person, cmd, chat.mentioned, chat.channel);
    return answer ? [answer] : [];
  }
  switch (cmd?.kind) {
    case 'rating':
    case 'confirm': {
      const answer = await runClosingCommand(deps, person, cmd, chat.channel);
      if (answer !== undefined) return answer ? [answer] : [];
      return [message(deps.flows.help!, 'unknown')];
    }
    case 'progress':
      return [await progress(deps, person)];
    case 'help':
      return [help(deps, person)];
    case 'register':
      return [say.registerHint()];
    case 'deny':
      return [message(deps.flows.help!, 'unknown')];
    default:
      break;
  }
  // A complaint after the service (「志愿者没来」) is a rating too: the worker follows up.
  if (COMPLAINT.test(text)) {
    const answer = await runClosingCommand(deps, person, { kind: 'rating', stars: 1, comment: text, complaint: true }, chat.channel);
    if (answer !== undefined) return answer ? [answer] : [];
  }
  const understood = intake.category !== null || intake.when.date !== null || extractAddress(text) !== null;
  if (!understood) return [message(deps.flows.help!, 'unknown')];
  return startIntake(deps, person, text, chat.channel);
}
