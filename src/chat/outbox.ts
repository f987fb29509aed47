/**
 * Every message the bot sends is written to the outbox first, with one delivery row per platform that
 * knows the recipient, in the same transaction as the change that decided it. After commit a delivery job
 * carries the message's id (never its text, which may hold an address or phone) to the channel, with
 * retries; the sweep queues again any delivery whose job was lost.
 */
import type { Queue } from 'bullmq';
import { withTransaction, type Db, type Queryable } from '../platform/db.js';
import { addWithin } from '../platform/queues.js';
import type { Sweep } from '../platform/sweeper.js';
import type { ChatDirectory } from './ports.js';
import { insertDeliveries, listStrandedDeliveries, recordOutbound } from './store.js';

export interface Outbox {
  toPerson(personId: string, text: string): Promise<void>;
  toRoom(roomId: string, text: string, mentions?: string[]): Promise<void>;
}

export interface Notifier extends Outbox {
  /**
   * Write messages in the same database transaction as the change that decides them (an offer to a
   * room, a slot's prompt), so a crash leaves both or neither; deliveries are queued after commit.
   */
  transaction<T>(fn: (tx: Outbox & { db: Queryable }) => Promise<T>): Promise<T>;
  /** Write into a transaction someone else holds; the caller queues the returned deliveries after commit. */
  within(db: Queryable): Outbox & { written: Delivery[] };
  /** Queue deliveries written by `within` once their transaction has committed. */
  queue(deliveries: readonly Delivery[]): Promise<void>;
}

export interface Delivery {
  messageId: string;
  channel: string;
}

/** Channels that read the outbox themselves (the simulator) need no delivery. */
const OUTBOX_CHANNELS = new Set(['sim']);
/**
 * A chat platform session can drop for hours (a WeChat login blocked or logged out): deliveries keep
 * retrying with growing pauses, about a day in all, instead of giving up after a minute.
 */
const DELIVERY_RETRIES = { attempts: 16, backoff: { type: 'exponential', delay: 2000 } } as const;
/** A delivery still pending this long after it was written is queued again by the sweep. */
const STRANDED_AFTER_MS = 10_000;

export const DELIVERIES_QUEUE = 'deliveries';
const jobId = (d: Delivery) => `deliver-${d.messageId}-${d.channel}`;

export function createNotifier(deps: { db: Db; directory: ChatDirectory; queue: Queue; liveChannels: () => string[] }): Notifier {
  function outbox(db: Queryable, written: Delivery[]): Outbox {
    async function write(kind: 'person' | 'room', refId: string, m: { personId: string | null; roomId: string | null; text: string; mentions: string[] }) {
      const id = await recordOutbound(db, m);
      const live = new Set(deps.liveChannels());
      const channels = (await deps.directory.identitiesOf(kind, [refId], db)).map((i) => i.channel).filter((c) => live.has(c) && !OUTBOX_CHANNELS.has(c));
      if (channels.length === 0) return;
      await insertDeliveries(db, id, channels);
      written.push(...channels.map((channel) => ({ messageId: id, channel })));
    }
    return {
      toPerson: (personId, text) => write('person', personId, { personId, roomId: null, text, mentions: [] }),
      toRoom: (roomId, text, mentions = []) => write('room', roomId, { personId: null, roomId, text, mentions }),
    };
  }
  async function queue(deliveries: readonly Delivery[]): Promise<void> {
    // The delivery rows are committed: with Redis away, the sweep queues them once it is back.
    for (const d of deliveries) await addWithin(deps.queue, 'deliver', d, { jobId: jobId(d), ...DELIVERY_RETRIES }).catch(() => undefined);
  }
  async function once(fn: (o: Outbox) => Promise<void>): Promise<void> {
    const written: Delivery[] = [];
    await withTransaction(deps.db, (client) => fn(outbox(client, written)));
    await queue(written);
  }
  return {
    toPerson: (personId, text) => once((o) => o.toPerson(personId, text)),
    toRoom: (roomId, text, mentions) => once((o) => o.toRoom(roomId, text, mentions)),
    async transaction(fn) {
      const written: Delivery[] = [];
      const result = await withTransaction(deps.db, (client) => fn({ db: client, ...outbox(client, written) }));
      await queue(written);
      return result;
    },
    within(db) {
      const written: Delivery[] = [];
      return { ...outbox(db, written), written };
    },
    queue,
  };
}

/** Deliveries whose job was lost (a crash after commit, Redis away): queue them again. */
export function createDeliverySweep(deps: { db: Db; queue: Queue; queueReady: () => boolean }): Sweep {
  return {
    name: 'deliveries',
    async run(atStartup) {
      if (!deps.queueReady()) return 0;
      const stranded = await listStrandedDeliveries(deps.db, new Date(Date.now() - (atStartup ? 0 : STRANDED_AFTER_MS)));
      for (const d of stranded) await deps.queue.add('deliver', d, { jobId: jobId(d), ...DELIVERY_RETRIES });
      return stranded.length;
    },
  };
}
