import type { Queue } from 'bullmq';
import { identitiesOf } from '../store/directory.js';
import type { Db } from '../store/db.js';
import { recordOutbound } from '../store/messages.js';

export interface Notifier {
  toPerson(personId: string, text: string): Promise<void>;
  toRoom(roomId: string, text: string, mentions?: string[]): Promise<void>;
}

/** Channels that read the outbox themselves (the simulator) need no delivery job. */
const OUTBOX_CHANNELS = new Set(['sim']);

/**
 * Every message the bot sends is written to the outbox first; a delivery job per platform then carries
 * its id (never its text, which may hold an address or phone) to the channel, with retries.
 */
export function createNotifier(deps: { db: Db; deliveries: Queue; liveChannels: () => string[] }): Notifier {
  async function enqueue(messageId: string, kind: 'person' | 'room', refId: string): Promise<void> {
    const live = new Set(deps.liveChannels());
    const targets = (await identitiesOf(deps.db, kind, [refId])).filter((i) => live.has(i.channel) && !OUTBOX_CHANNELS.has(i.channel));
    for (const t of targets) {
      await deps.deliveries.add('deliver', { messageId, channel: t.channel }, { jobId: `deliver-${messageId}-${t.channel}` });
    }
  }
  return {
    async toPerson(personId, text) {
      const id = await recordOutbound(deps.db, { personId, roomId: null, text, mentions: [] });
      await enqueue(id, 'person', personId);
    },
    async toRoom(roomId, text, mentions = []) {
      const id = await recordOutbound(deps.db, { personId: null, roomId, text, mentions });
      await enqueue(id, 'room', roomId);
    },
  };
}
