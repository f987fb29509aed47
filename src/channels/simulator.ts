import { randomUUID } from 'node:crypto';
import type { Channel, InboundHandler } from './channel.js';

export interface SimulatorChannel extends Channel {
  /** A message typed on the /sim page or posted to its API; ids are directory ids. */
  /** `messageId`, when given, makes a resend of the same message idempotent. */
  receive(m: { from: string; text: string; room?: string; messageId?: string }): Promise<string>;
}

/** How people address the bot in a simulated group. */
const BOT_MENTION = /@邻里/;

/**
 * The built-in chat platform: people and rooms are the directory's own ids, and what the bot says is
 * read back from the outbox by the /sim API, so sending has nothing left to do.
 */
export function createSimulatorChannel(): SimulatorChannel {
  let handler: InboundHandler | null = null;
  return {
    name: 'sim',
    async start(onMessage) {
      handler = onMessage;
    },
    async send() {
      // Delivered by being in the outbox.
    },
    async stop() {
      handler = null;
    },
    async receive({ from, text, room, messageId }) {
      if (!handler) throw new Error('The simulator channel is not started');
      return handler({
        channel: 'sim',
        platformMessageId: messageId ? `${from}/${messageId}` : randomUUID(),
        from,
        room,
        text,
        mentions: [],
        mentionsBot: room === undefined || BOT_MENTION.test(text),
        receivedAt: new Date(),
      });
    },
  };
}
