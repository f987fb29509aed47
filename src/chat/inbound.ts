/**
 * Inbound messages: stored before anything touches Redis, then queued; handled one at a time per sender;
 * the answers and the handled mark commit together. Nothing a person sent is lost to a Redis outage or a
 * crash: a sweep queues again every stored message that was never handled.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { stripControlChars } from '../kernel/text.js';
import type { Db } from '../platform/db.js';
import { withLock } from '../platform/lock.js';
import { addWithin } from '../platform/queues.js';
import type { Sweep } from '../platform/sweeper.js';
import type { InboundMessage } from './channel.js';
import type { Conversations } from './conversation/engine.js';
import { CONVERSATION_FEATURE } from './conversation/engine.js';
import { chatSay } from './messages.js';
import type { Notifier } from './outbox.js';
import type { ChatDirectory, ChatPerson, ChatRoom } from './ports.js';
import type { ChatContext, ConversationPort, createChatRouter } from './router.js';
import { getInbound, isInboundDone, listStrandedInbound, recordInbound, setInboundStatus } from './store.js';

/** A message still unhandled this long after it arrived is queued again by the sweep. */
const STRANDED_AFTER_MS = 3000;
/** Longest text we try to understand; anything longer is cut, never refused. */
const MAX_TEXT = 2000;

export const INBOUND_QUEUE = 'inbound';
const jobId = (messageId: string) => `in-${messageId}`;

/**
 * Take an inbound message: resolve who sent it, store it once per platform message id, then queue it.
 * With Redis away the message is stored all the same and the sweep queues it once Redis is back.
 * @returns the message's id (the first copy's, for a redelivery)
 */
export function createIngest(deps: { db: Db; directory: ChatDirectory; queue: Queue; queueReady: () => boolean; log: Logger }) {
  return async function ingest(m: InboundMessage): Promise<string> {
    let personId = await deps.directory.resolve(m.channel, m.from, 'person');
    const roomId = m.room ? await deps.directory.resolve(m.channel, m.room, 'room') : null;
    if (!personId && !m.room) personId = await deps.directory.admit(m.channel, m.from, stripControlChars(m.fromName ?? '').trim());
    const mentions: string[] = [];
    for (const external of m.mentions) {
      const id = await deps.directory.resolve(m.channel, external, 'person');
      if (id) mentions.push(id);
    }
    const stored = await recordInbound(deps.db, {
      channel: m.channel,
      platformMessageId: m.platformMessageId,
      personId,
      roomId,
      senderExternal: stripControlChars(m.from),
      text: stripControlChars(m.text),
      mentions,
      mentionsBot: m.mentionsBot,
    });
    // A job still waiting, running or failed has this id and the add is a no-op; a finished one marked the
    // message done before it left the queue.
    if (stored.status !== 'done' && deps.queueReady()) {
      await addWithin(deps.queue, 'message', { messageId: stored.id }, { jobId: jobId(stored.id) }).catch(
        (err: unknown) => deps.log.warn({ err, messageId: stored.id }, 'inbound message stored but not queued; the sweep will queue it'),
      );
    }
    return stored.id;
  };
}

/** Stored messages never handled (the queue was away, or a process died before queuing): queue them again. */
export function createInboundSweep(deps: { db: Db; queue: Queue; queueReady: () => boolean }): Sweep {
  return {
    name: 'inbound',
    async run(atStartup) {
      if (!deps.queueReady()) return 0;
      const ids = await listStrandedInbound(deps.db, new Date(Date.now() - (atStartup ? 0 : STRANDED_AFTER_MS)));
      for (const id of ids) await deps.queue.add('message', { messageId: id }, { jobId: jobId(id) });
      return ids.length;
    },
  };
}

export interface InboundProcessorDeps<P extends ChatPerson, R extends ChatRoom> {
  db: Db;
  redis: Redis;
  directory: ChatDirectory<P, R>;
  notifier: Notifier;
  route: ReturnType<typeof createChatRouter<P, R>>;
  conversations: Conversations<P, R>;
  lockPrefix: string;
  /**
   * How long one message may hold its sender's conversation: the same as a job's lock, so a killed
   * worker's conversation is free again by the time its stalled job runs elsewhere.
   */
  lockMs: number;
  log: Logger;
  now: () => Date;
}

/** The inbound queue's processor: one message, under its sender's conversation lock. */
export function createInboundProcessor<P extends ChatPerson, R extends ChatRoom>(deps: InboundProcessorDeps<P, R>) {
  return async function processInbound(messageId: string): Promise<void> {
    const m = await getInbound(deps.db, messageId);
    if (!m) return;
    const person = m.personId ? await deps.directory.person(m.personId) : null;
    const room = m.roomId ? await deps.directory.room(m.roomId) : null;
    // An unknown sender in a group, or someone removed from the directory since: nothing to answer.
    if (!person || (m.roomId && !room)) return setInboundStatus(deps.db, messageId, 'done');
    const log = deps.log.child({ messageId, personId: person.id, roomId: room?.id });
    await withLock(deps.redis, `${deps.lockPrefix}:lock:conv:${person.id}`, deps.lockMs, async () => {
      // A redelivered or re-queued copy of a message already handled stops here.
      if (await isInboundDone(deps.db, messageId)) return;
      const replies: string[] = [];
      try {
        const conversation = room ? null : await deps.conversations.active(person.id);
        const base = { person, room, text: m.text.slice(0, MAX_TEXT), channel: m.channel, mentionsBot: m.mentionsBot, mentioned: m.mentions, conversation };
        const ctx: ChatContext<P, R> = { ...base, now: deps.now(), log, reply: (text: string) => void replies.push(text), flows: undefined as unknown as ConversationPort };
        ctx.flows = deps.conversations.port(ctx);
        const handledBy = await deps.route(ctx);
        if (conversation && handledBy !== null && handledBy !== CONVERSATION_FEATURE && (await deps.conversations.active(person.id)) === conversation) {
          const reminder = deps.conversations.reminder(conversation);
          if (reminder) replies.push(reminder);
        }
      } catch (err) {
        // Nothing the person entered is lost (the conversation stays in Redis); they get a plain apology.
        log.error({ err }, 'chat handling failed');
        replies.push(chatSay.error());
      }
      // The answers and the mark that the message is handled commit together: a worker killed before
      // this point leaves the message to be handled again, never answered twice.
      await deps.notifier.transaction(async (tx) => {
        for (const text of replies) await (room ? tx.toRoom(room.id, text, [person.id]) : tx.toPerson(person.id, text));
        await setInboundStatus(tx.db, messageId, 'done');
      });
    });
  };
}
