import { randomUUID } from 'node:crypto';
import type { OutboundMessage } from '../../../src/chat/channel.js';
import { createSimulatorChannel } from '../../../src/chat/channels/simulator.js';
import { describeChannelConformance, type ChannelHarness, type PlatformDelivery, type Shown } from './conformance.js';

/** The simulator's platform is its own API: people and rooms are directory ids, and /sim resends by messageId. */
async function createSimulatorHarness(): Promise<ChannelHarness> {
  const waiting: Array<{ accept: (m: OutboundMessage) => boolean; resolve: (shown: Shown) => void }> = [];
  const channel = createSimulatorChannel({
    onSend(message) {
      const i = waiting.findIndex((w) => w.accept(message));
      if (i >= 0) waiting.splice(i, 1)[0]?.resolve({ text: message.text, mentions: message.mentions });
    },
  });
  let ids = 0;
  return {
    channel,
    botMention: '@邻里助手',
    dropsRedeliveries: false,
    ingestFailure: { kind: 'rejects' },
    createPerson: async () => `p-${++ids}`,
    createRoom: async () => `room-${++ids}`,
    say({ from, text, room, mentions }) {
      // What the /sim page does: one client id per message, reused when it resends.
      const messageId = randomUUID();
      const deliver = (): PlatformDelivery => ({
        accepted: channel.receive({ from, text, ...(room ? { room } : {}), ...(mentions ? { mentions } : {}), messageId }),
        redeliver: deliver,
      });
      return deliver();
    },
    nextShown(to) {
      return new Promise((resolve) => waiting.push({ accept: (m) => m.to.kind === to.kind && m.to.id === to.id, resolve }));
    },
  };
}

describeChannelConformance('simulator', createSimulatorHarness);
