import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { InboundMessage } from '../channels/channel.js';
import { message } from '../conversation/flow.js';
import type { Db } from '../store/db.js';
import { defaultCommunityId, getPerson, getRoom, registerResident, resolveIdentity } from '../store/directory.js';
import { withTimeout } from '../store/redis.js';
import { getInbound, isInboundDone, recordInbound, setInboundStatus } from '../store/messages.js';
import { handleChat } from './chat.js';
import type { IntakeDeps } from './intake.js';
import { withLock } from './lock.js';


/** Redis or the queue did not answer: the sender should retry (HTTP 503); nothing was half-done. */
export class UnavailableError extends Error {
  readonly code = 'unavailable';
}

/** How long taking a message may wait for Redis before telling the sender to retry. */
const ENQUEUE_TIMEOUT_MS = 2000;

/** Control characters (NUL above all, which PostgreSQL text cannot hold) carry nothing a person meant to say. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const cleanText = (text: string) => text.replace(CONTROL_CHARS, '');

/**
 * Take an inbound message: resolve who sent it, persist it once per platform message id, enqueue it.
 * A redelivery of a message that was stored but never enqueued (the process died in between, or Redis
 * was down) is enqueued now; one already handled is dropped.
 * @returns the message's id
 * @throws UnavailableError when Redis is not answering
 */
export function createIngest(deps: { db: Db; inboundQueue: Queue; queueReady: () => boolean }) {
  return async function ingest(m: InboundMessage): Promise<string> {
    if (!deps.queueReady()) throw new UnavailableError('Redis is not connected');
    let personId = await resolveIdentity(deps.db, m.channel, m.from, 'person');
    const roomId = m.room ? await resolveIdentity(deps.db, m.channel, m.room, 'room') : null;
    if (!personId && !m.room) {
      const community = await defaultCommunityId(deps.db);
      if (community) personId = await registerResident(deps.db, m.channel, m.from, cleanText(m.fromName ?? '') || '居民', community);
    }
    const mentions: string[] = [];
    for (const external of m.mentions) {
      const id = await resolveIdentity(deps.db, m.channel, external, 'person');
      if (id) mentions.push(id);
    }
    const stored = await recordInbound(deps.db, {
      channel: m.channel,
      platformMessageId: m.platformMessageId,
      personId,
      roomId,
      senderExternal: cleanText(m.from),
      text: cleanText(m.text),
      mentions,
      mentionsBot: m.mentionsBot,
    });
    // Enqueue unless handled already. A job still waiting, running or failed has this id and the add is a
    // no-op; a finished one marked the message done before it left the queue.
    if (stored.status !== 'done') {
      const job = deps.inboundQueue.add('message', { messageId: stored.id }, { jobId: `in-${stored.id}` });
      await withTimeout(job, ENQUEUE_TIMEOUT_MS, () => new UnavailableError('The queue did not answer in time'));
    }
    return stored.id;
  };
}

/** The inbound queue's processor: one message, under its sender's conversation lock. */
/**
 * `lockMs` bounds how long one message may hold its sender's conversation: the same as a job's lock,
 * so a killed worker's conversation is free again by the time its stalled job runs elsewhere.
 */
export function createInboundProcessor(deps: IntakeDeps & { redis: Redis; lockPrefix: string; lockMs: number; log: Logger }) {
  return async function processInbound(messageId: string): Promise<void> {
    const m = await getInbound(deps.db, messageId);
    if (!m?.personId) return; // unknown sender in a group: nothing to answer
    const person = await getPerson(deps.db, m.personId);
    const room = m.roomId ? await getRoom(deps.db, m.roomId) : null;
    if (!person || (m.roomId && !room)) return;
    const log = deps.log.child({ messageId, personId: person.id, roomId: room?.id });
    await withLock(deps.redis, `${deps.lockPrefix}:lock:conv:${person.id}`, deps.lockMs, async () => {
      // A redelivered or re-enqueued copy of a message already handled stops here.
      if (await isInboundDone(deps.db, messageId)) return;
      const replies: string[] = [];
      try {
        const chat = { person, room, text: m.text, channel: m.channel, mentionsBot: m.mentionsBot, mentioned: m.mentions };
        await handleChat(deps, chat, async (text) => void replies.push(text));
      } catch (err) {
        // Nothing the person entered is lost (the draft stays in Redis); they get a plain apology.
        log.error({ err }, 'chat handling failed');
        replies.push(message(deps.flows.help!, 'error'));
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
