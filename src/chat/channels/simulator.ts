import { randomUUID } from 'node:crypto';
import type { Channel, InboundHandler, OutboundMessage } from '../channel.js';

export interface SimulatorChannel extends Channel {
  /**
   * A message typed on the /sim page or posted to its API; ids are directory ids. `messageId`, when given,
   * makes a resend of the same message idempotent; `mentions` are the people it @-mentions.
   */
  receive(m: { from: string; text: string; room?: string; mentions?: string[]; messageId?: string }): Promise<string>;
}

export interface SimulatorChannelDeps {
  /** Hears what `send` is given. The /sim API reads the outbox itself, so the composition root passes none. */
  onSend?: (message: OutboundMessage) => void;
}

/** How people address the bot in a simulated group. */
const BOT_MENTION = /@邻里/;
/** The bot's mention leading a message, with its separator: dropped from the text, as WeChat's adapter does. */
const LEADING_BOT_MENTION = /^\s*@邻里(?:助手)?(?:\s+|$)/;

/**
 * The built-in chat platform: people and rooms are the directory's own ids, and what the bot says is
 * read back from the outbox by the /sim API, so sending has nothing left to do.
 * @example const sim = createSimulatorChannel(); await sim.receive({ from: 'r-wang', text: '水管漏水' });
 */
export function createSimulatorChannel({ onSend }: SimulatorChannelDeps = {}): SimulatorChannel {
  let handler: InboundHandler | null = null;
  return {
    name: 'sim',
    async start(onMessage) {
      handler = onMessage;
    },
    async send(message) {
      onSend?.(message);
    },
    async stop() {
      handler = null;
    },
    /** Rejects when the handler does (storage down): the caller is told and can resend the same messageId. */
    async receive({ from, text, room, mentions = [], messageId }) {
      if (!handler) throw new Error('The simulator channel is not started');
      return handler({
        channel: 'sim',
        platformMessageId: messageId ? `${from}/${messageId}` : randomUUID(),
        from,
        room,
        text: text.replace(LEADING_BOT_MENTION, ''),
        mentions,
        mentionsBot: BOT_MENTION.test(text),
        receivedAt: new Date(),
      });
    },
  };
}
