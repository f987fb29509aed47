import type { Queue } from 'bullmq';
import { identitiesOf } from '../store/directory.js';
import { withTransaction, type Db, type Queryable } from '../store/db.js';
import { recordOutbound } from '../store/messages.js';

export interface Outbox {
  toPerson(personId: string, text: string): Promise<void>;
  toRoom(roomId: string, text: string, mentions?: string[]): Promise<void>;
}

export interface Notifier extends Outbox {
  /**
   * Write messages in the same database transaction as the change that decides them (an offer to a
   * room, a slot's prompt), so a crash leaves both or neither; deliveries are enqueued after commit.
   */
  transaction<T>(fn: (tx: Outbox & { db: Queryable }) => Promise<T>): Promise<T>;
}

/** Channels that read the outbox themselves (the simulator) need no delivery job. */
const OUTBOX_CHANNELS = new Set(['sim']);

/**
 * A chat platform session can drop for hours (a WeChat login blocked or logged out): deliveries keep
 * retrying with growing pauses, about a day in all, instead of giving up after a minute.
 */
const DELIVERY_RETRIES = { attempts: 16, backoff: { type: 'exponential', delay: 2000 } } as const;

type Written = { id: string; kind: 'person' | 'room'; refId: string };

/**
 * Every message the bot sends is written to the outbox first; a delivery job per platform then carries
 * its id (never its text, which may hold an address or phone) to the channel, with retries.
 */
export function createNotifier(deps: { db: Db; deliveries: Queue; liveChannels: () => string[] }): Notifier {
  async function enqueue(written: Written[]): Promise<void> {
    const live = new Set(deps.liveChannels());
    for (const w of written) {
      const targets = (await identitiesOf(deps.db, w.kind, [w.refId])).filter((i) => live.has(i.channel) && !OUTBOX_CHANNELS.has(i.channel));
      for (const t of targets) {
        await deps.deliveries.add('deliver', { messageId: w.id, channel: t.channel }, { jobId: `deliver-${w.id}-${t.channel}`, ...DELIVERY_RETRIES });
      }
    }
  }
  function outbox(db: Queryable, written: Written[]): Outbox {
    return {
      async toPerson(personId, text) {
        written.push({ id: await recordOutbound(db, { personId, roomId: null, text, mentions: [] }), kind: 'person', refId: personId });
      },
      async toRoom(roomId, text, mentions = []) {
        written.push({ id: await recordOutbound(db, { personId: null, roomId, text, mentions }), kind: 'room', refId: roomId });
      },
    };
  }
  return {
    async toPerson(personId, text) {
      const written: Written[] = [];
      await outbox(deps.db, written).toPerson(personId, text);
      await enqueue(written);
    },
    async toRoom(roomId, text, mentions) {
      const written: Written[] = [];
      await outbox(deps.db, written).toRoom(roomId, text, mentions);
      await enqueue(written);
    },
    async transaction(fn) {
      const written: Written[] = [];
      const result = await withTransaction(deps.db, (client) => fn({ db: client, ...outbox(client, written) }));
      await enqueue(written);
      return result;
    },
  };
}
