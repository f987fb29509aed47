import type { Contact, Message, Wechaty } from 'wechaty';
import type { Channel, InboundHandler, InboundMessage, OutboundMessage } from '../channel.js';

export interface WechatyChannelDeps {
  /** Built (not started) by the composition root; the adapter starts and stops it. */
  bot: Wechaty;
  log: {
    info: (obj: object, msg?: string) => void;
    warn: (obj: object, msg?: string) => void;
    error: (obj: object, msg?: string) => void;
  };
}

/** How many recent message ids are remembered to drop redeliveries. */
const SEEN_MESSAGE_IDS = 5000;
/** WeChat separates an @mention from the text with U+2005 (four-per-em space) or a plain space. */
const MENTION_SEPARATOR = /^[\u2005\s]/;
/**
 * A failed ingest (the database briefly away) is tried again after 200, 400 and 800 ms. WeChat never
 * redelivers by itself, so after the last attempt the id is forgotten and a redelivery is taken as new.
 */
export const INGEST_RETRY = { attempts: 4, firstBackoffMs: 200 } as const;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A Channel over a Wechaty bot: translates messages both ways, holds no business rule.
 * @example const channel = createWechatyChannel({ bot: WechatyBuilder.build({ puppet }), log });
 */
export function createWechatyChannel({ bot, log }: WechatyChannelDeps): Channel {
  const seen = new Set<string>();
  let onMessage: InboundHandler | undefined;

  /** True the first time an id is seen; the Set keeps insertion order, so the oldest id goes first. */
  function remember(id: string): boolean {
    if (seen.has(id)) return false;
    seen.add(id);
    const oldest = seen.size > SEEN_MESSAGE_IDS ? seen.values().next().value : undefined;
    if (oldest !== undefined) seen.delete(oldest);
    return true;
  }

  async function stripBotMention(msg: Message, text: string): Promise<string> {
    const self = bot.currentUser;
    const room = msg.room();
    const names = [self.name(), room ? await room.alias(self) : undefined].filter((n): n is string => !!n);
    const trimmed = text.trimStart();
    for (const name of names) {
      const rest = trimmed.slice(name.length + 1);
      if (trimmed.startsWith(`@${name}`) && (rest === '' || MENTION_SEPARATOR.test(rest))) return rest.trim();
    }
    return text.trim();
  }

  async function toInbound(msg: Message): Promise<InboundMessage> {
    const talker = msg.talker();
    const room = msg.room();
    return {
      channel: 'wechaty',
      platformMessageId: msg.id,
      from: talker.id,
      fromName: talker.name(),
      ...(room ? { room: room.id } : {}),
      text: await stripBotMention(msg, msg.text()),
      mentions: (await msg.mentionList()).map((c) => c.id),
      mentionsBot: await msg.mentionSelf(),
      receivedAt: msg.date(),
    };
  }

  /** Hands a message on, pausing twice as long after each failure; logs ids only, never what was written. */
  async function ingest(msg: Message): Promise<void> {
    for (let attempt = 1; onMessage; attempt++) {
      try {
        await onMessage(await toInbound(msg));
        return;
      } catch (err) {
        if (attempt >= INGEST_RETRY.attempts) {
          log.error({ err, platformMessageId: msg.id, attempts: attempt }, 'wechaty inbound message not taken; a redelivery will be');
          break;
        }
        log.warn({ err, platformMessageId: msg.id, attempt }, 'wechaty inbound message failed; retrying');
        await sleep(INGEST_RETRY.firstBackoffMs * 2 ** (attempt - 1));
      }
    }
    // Not taken (or the channel stopped meanwhile): a redelivery of this id must not be dropped as seen.
    seen.delete(msg.id);
  }

  const listeners = {
    message: async (msg: Message): Promise<void> => {
      if (onMessage && !msg.self() && msg.type() === bot.Message.Type.Text && remember(msg.id)) await ingest(msg);
    },
    scan: (qrcode: string, status: number): void => {
      log.info({ status, qrUrl: `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}` }, 'wechaty: scan the QR code to log in');
    },
    login: (user: Contact): void => log.info({ userId: user.id, name: user.name() }, 'wechaty logged in'),
    logout: (user: Contact, reason?: string): void =>
      log.warn({ userId: user.id, reason }, 'wechaty logged out: messages cannot be delivered until it logs in again'),
    error: (err: Error): void => log.error({ err }, 'wechaty error'),
  };

  return {
    name: 'wechaty',

    async start(handler) {
      onMessage = handler;
      bot.on('message', listeners.message).on('scan', listeners.scan).on('login', listeners.login);
      bot.on('logout', listeners.logout).on('error', listeners.error);
      await bot.start();
    },

    async send({ to, text, mentions }: OutboundMessage) {
      if (to.kind === 'person') {
        const contact = await bot.Contact.find({ id: to.id });
        if (!contact) throw new Error(`wechaty: no contact with id ${to.id}; is the bot still their friend?`);
        await contact.say(text);
        return;
      }
      const room = await bot.Room.find({ id: to.id });
      if (!room) throw new Error(`wechaty: no room with id ${to.id}; is the bot still a member?`);
      const contacts = (await Promise.all(mentions.map((id) => bot.Contact.find({ id })))).filter((c): c is Contact => c !== undefined);
      if (contacts.length < mentions.length) log.warn({ roomId: to.id, mentions }, 'wechaty: some mentioned contacts not found');
      await room.say(text, ...contacts);
    },

    async stop() {
      onMessage = undefined;
      bot.off('message', listeners.message);
      await bot.stop();
      bot.off('scan', listeners.scan).off('login', listeners.login).off('logout', listeners.logout).off('error', listeners.error);
    },
  };
}
