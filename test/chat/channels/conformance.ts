/**
 * The one test every chat platform adapter passes (house style, habit 5): the platform is faked as far out
 * as it can be (the simulator's own API, wechaty-puppet-mock's people), the adapter is the shipped one.
 */
import type { Channel, InboundMessage, Recipient } from '../../../src/chat/channel.js';

/** How long the platform gets to hand a message over or show what the bot sent. */
const WAIT_MS = 5000;

/** What the platform shows for a message the bot sent: its text and who it @-mentions, by platform id. */
export interface Shown {
  text: string;
  mentions: string[];
}

/** One message the platform delivered. */
export interface PlatformDelivery {
  /** Settles once the adapter has been handed the message; rejects if the adapter refused it (the simulator). */
  accepted: Promise<unknown>;
  /** The platform delivers the very same message (same platform id) again. */
  redeliver(): PlatformDelivery;
}

export interface ChannelHarness {
  /** The shipped adapter, not yet started. */
  channel: Channel;
  /** Whatever the platform needs once the channel has started (logging the bot in). */
  connect?(): Promise<void>;
  /** The bot's own platform id where the platform gives it one (it may appear among `mentions`). */
  botId?: string;
  /** How people write the bot's mention, e.g. `@邻里助手`. */
  botMention: string;
  createPerson(name: string): Promise<string>;
  /** A group chat with these people and the bot. */
  createRoom(topic: string, members: string[]): Promise<string>;
  /**
   * A person writes. In a room `mentions` are platform ids of people mentioned; `mentionBot` means `text`
   * starts with `botMention`, which platforms that carry mentions beside the text are told as well.
   */
  say(m: { from: string; text: string; room?: string; mentions?: string[]; mentionBot?: boolean }): PlatformDelivery;
  /** Resolves with the next message the bot sends to this person or room; call it before `send`. */
  nextShown(to: Recipient): Promise<Shown>;
  /** True when the adapter itself drops a redelivered id; otherwise storage does, by the stable id. */
  dropsRedeliveries: boolean;
  /**
   * What happens when the handler throws: the adapter retries on its own, or the platform's caller is told
   * (the promise it awaits rejects) and resends.
   */
  ingestFailure: { kind: 'retries'; attempts: number; firstBackoffMs: number } | { kind: 'rejects' };
}

/** Thrown by the test's handler, as storage would while the database is briefly away. */
export class DatabaseDown extends Error {
  constructor() {
    super('database is briefly away');
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fails after WAIT_MS, naming what did not happen. */
export function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Everything the handler was given, with when, and a way to wait until `count` of them match. */
function createInbox() {
  const items: Array<{ message: InboundMessage; at: number }> = [];
  const waiters = new Set<() => void>();
  const matching = (accept: (m: InboundMessage) => boolean) => items.filter((i) => accept(i.message));
  return {
    matching,
    push(message: InboundMessage) {
      items.push({ message, at: Date.now() });
      for (const wake of waiters) wake();
    },
    waitFor(accept: (m: InboundMessage) => boolean, count = 1) {
      const found = new Promise<Array<{ message: InboundMessage; at: number }>>((resolve) => {
        const check = () => {
          const got = matching(accept);
          if (got.length < count) return;
          waiters.delete(check);
          resolve(got);
        };
        waiters.add(check);
        check();
      });
      return within(found, `${count} inbound message(s)`);
    },
  };
}

/**
 * Runs the channel contract against one adapter.
 * @example describeChannelConformance('simulator', () => createSimulatorHarness());
 */
export function describeChannelConformance(name: string, makeHarness: () => Promise<ChannelHarness>): void {
  describe(`${name} channel conformance`, () => {
    let h: ChannelHarness;
    let alice: string;
    let bob: string;
    let room: string;
    const inbox = createInbox();
    /** Text → how many more times the handler fails on it. */
    const failing = new Map<string, number>();
    /** Platform ids the handler took (stored, as far as the adapter can tell). */
    const stored = new Set<string>();
    const withText = (text: string) => (m: InboundMessage) => m.text === text;

    beforeAll(async () => {
      h = await makeHarness();
      await h.channel.start(async (message) => {
        inbox.push(message);
        const left = failing.get(message.text) ?? 0;
        if (left > 0) {
          failing.set(message.text, left - 1);
          throw new DatabaseDown();
        }
        stored.add(message.platformMessageId);
        return message.platformMessageId;
      });
      await h.connect?.();
      alice = await h.createPerson('王阿姨');
      bob = await h.createPerson('李师傅');
      room = await h.createRoom('幸福里志愿服务队', [alice, bob]);
    });

    afterAll(async () => {
      await h.channel.stop();
    });

    describe('send', () => {
      it('sends a person exactly the text', async () => {
        const shown = h.nextShown({ kind: 'person', id: alice });
        await h.channel.send({ to: { kind: 'person', id: alice }, text: '志愿者李师傅已接单，明天上午九点半上门', mentions: [] });
        await expect(within(shown, 'the private message')).resolves.toEqual({ text: '志愿者李师傅已接单，明天上午九点半上门', mentions: [] });
      });

      it('sends a room the text with the people it mentions @-mentioned', async () => {
        const shown = h.nextShown({ kind: 'room', id: room });
        await h.channel.send({ to: { kind: 'room', id: room }, text: '新需求单 0013，请接单', mentions: [bob, alice] });
        await expect(within(shown, 'the room message')).resolves.toEqual({ text: '新需求单 0013，请接单', mentions: [bob, alice] });
      });
    });

    describe('receive', () => {
      it('hands over a private message with no room and no mentions', async () => {
        await h.say({ from: alice, text: '明天上午家里水管漏水' }).accepted;
        const [got] = await inbox.waitFor(withText('明天上午家里水管漏水'));
        const message = got!.message;
        expect(message).toMatchObject({ channel: h.channel.name, from: alice, mentions: [], mentionsBot: false });
        expect(message.room).toBeUndefined();
        expect(message.platformMessageId).toEqual(expect.stringMatching(/\S/));
        expect(message.receivedAt).toBeInstanceOf(Date);
      });

      it('hands over a room message to the bot with the bot mention stripped and the mentions listed', async () => {
        await h.say({ from: alice, room, text: `${h.botMention}\u2005派单 0012 @李师傅`, mentions: [bob], mentionBot: true }).accepted;
        const [got] = await inbox.waitFor(withText('派单 0012 @李师傅'));
        const message = got!.message;
        expect(message).toMatchObject({ channel: h.channel.name, from: alice, room, mentionsBot: true });
        expect(message.mentions.filter((id) => id !== h.botId)).toEqual([bob]);
      });

      it('hands over a room message not addressed to the bot as it was written', async () => {
        await h.say({ from: bob, room, text: '大家好，我今天下午有空' }).accepted;
        const [got] = await inbox.waitFor(withText('大家好，我今天下午有空'));
        expect(got!.message).toMatchObject({ from: bob, room, mentions: [], mentionsBot: false });
      });
    });

    describe('redelivery', () => {
      it('keeps the platform id stable, and lets a redelivered id through at most once', async () => {
        const delivery = h.say({ from: alice, text: '第一次' });
        await delivery.accepted;
        const [first] = await inbox.waitFor(withText('第一次'));
        await delivery.redeliver().accepted;
        // The platform keeps order: once a later message is handed over, the redelivery has been dealt with.
        await h.say({ from: alice, text: '之后' }).accepted;
        await inbox.waitFor(withText('之后'));
        const copies = inbox.matching(withText('第一次')).map((i) => i.message.platformMessageId);
        expect(copies).toEqual(h.dropsRedeliveries ? [first!.message.platformMessageId] : [first!.message.platformMessageId, first!.message.platformMessageId]);
      });
    });

    describe('a failed ingest', () => {
      it('is not lost: it is tried again and then taken', async () => {
        const text = '数据库刚断了一下';
        failing.set(text, 1);
        const delivery = h.say({ from: alice, text });
        if (h.ingestFailure.kind === 'rejects') {
          await expect(delivery.accepted).rejects.toBeInstanceOf(DatabaseDown);
          await delivery.redeliver().accepted;
        } else {
          await delivery.accepted;
        }
        const copies = await inbox.waitFor(withText(text), 2);
        const ids = copies.map((c) => c.message.platformMessageId);
        expect(ids[1]).toBe(ids[0]);
        expect(stored.has(ids[0]!)).toBe(true);
      });

      it('is retried a bounded number of times with a growing pause, and a later redelivery is still taken', async () => {
        const text = '数据库一直连不上';
        failing.set(text, Number.POSITIVE_INFINITY);
        const delivery = h.say({ from: bob, text });
        const failure = h.ingestFailure;
        if (failure.kind === 'rejects') {
          await expect(delivery.accepted).rejects.toBeInstanceOf(DatabaseDown);
        } else {
          await delivery.accepted;
          const retried = await inbox.waitFor(withText(text), failure.attempts);
          // Timers may fire a millisecond or two early; the pauses must still double.
          retried.slice(1).forEach((t, i) => expect(t.at - retried[i]!.at).toBeGreaterThanOrEqual(failure.firstBackoffMs * 2 ** i - 5));
          // Longer than the next pause would be: no further attempt comes.
          await sleep(failure.firstBackoffMs * 2 ** failure.attempts);
        }
        const tries = inbox.matching(withText(text));
        expect(tries).toHaveLength(failure.kind === 'rejects' ? 1 : failure.attempts);
        const id = tries[0]!.message.platformMessageId;
        expect(stored.has(id)).toBe(false);

        failing.delete(text);
        await delivery.redeliver().accepted;
        const copies = await inbox.waitFor(withText(text), tries.length + 1);
        expect(copies.map((c) => c.message.platformMessageId)).toEqual(copies.map(() => id));
        expect(stored.has(id)).toBe(true);
      });
    });
  });
}
