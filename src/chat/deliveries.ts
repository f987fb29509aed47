import type { Job } from 'bullmq';
import type { Db } from '../platform/db.js';
import type { Channel } from './channel.js';
import type { Delivery } from './outbox.js';
import type { ChatDirectory } from './ports.js';
import { getOutbound, markDelivered } from './store.js';

/**
 * The deliveries queue: send one outbox message through one platform channel. A failure throws, so BullMQ
 * retries it; success marks the delivery sent, so the sweep leaves it alone.
 */
export function createDeliveryProcessor(deps: { db: Db; directory: ChatDirectory; channels: ReadonlyMap<string, Channel> }) {
  return async (job: Job<Delivery>): Promise<void> => {
    const { messageId, channel: name } = job.data;
    const channel = deps.channels.get(name);
    const m = await getOutbound(deps.db, messageId);
    if (!channel || !m) return;
    const kind = m.roomId ? 'room' : 'person';
    const target = (await deps.directory.identitiesOf(kind, [(m.roomId ?? m.personId) as string])).find((i) => i.channel === name);
    if (target) {
      const mentions = (await deps.directory.identitiesOf('person', m.mentions)).filter((i) => i.channel === name).map((i) => i.externalId);
      await channel.send({ to: { kind, id: target.externalId }, text: m.text, mentions });
    }
    await markDelivered(deps.db, messageId, name);
  };
}
