// What only the Wechaty adapter does; the contract every channel keeps is in wechaty.conformance.test.ts.
import { WechatyBuilder, type Message, type Wechaty } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { Channel, InboundMessage } from '../../../src/chat/channel.js';
import { createWechatyChannel } from '../../../src/chat/channels/wechaty.js';
import { within } from './conformance.js';

const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

/** The next `message` the bot emits that matches, seen after the adapter's own listener has run. */
function nextBotMessage(bot: Wechaty, accept: (m: Message) => boolean): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (m: Message) => {
      if (!accept(m)) return;
      bot.off('message', listener);
      resolve(m);
    };
    bot.on('message', listener);
  });
}

describe('wechaty channel (wechaty-puppet-mock)', () => {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  let bot: Wechaty;
  let channel: Channel;
  const received: InboundMessage[] = [];
  const arrivals = new Set<() => void>();
  /** Resolves with the first message handed over with this text, already or later. */
  const nextReceived = (text: string) =>
    within(
      new Promise<InboundMessage>((resolve) => {
        const check = () => {
          const found = received.find((m) => m.text === text);
          if (!found) return;
          arrivals.delete(check);
          resolve(found);
        };
        arrivals.add(check);
        check();
      }),
      `the message ${text}`,
    );

  const botUser = mocker.createContact({ name: '邻里助手' });
  const alice = mocker.createContact({ name: '王阿姨' });

  beforeAll(async () => {
    bot = WechatyBuilder.build({ puppet });
    channel = createWechatyChannel({ bot, log: quietLog });
    const loggedIn = new Promise((resolve) => bot.once('login', resolve));
    await channel.start(async (message) => {
      received.push(message);
      for (const check of arrivals) check();
      return message.platformMessageId;
    });
    mocker.login(botUser);
    await loggedIn;
  });

  afterAll(async () => {
    await channel.stop();
  });

  it('passes on the sender’s display name', async () => {
    alice.say('明天上午九点半家里水管漏水').to(botUser);
    await expect(nextReceived('明天上午九点半家里水管漏水')).resolves.toMatchObject({ from: alice.id, fromName: '王阿姨' });
  });

  it('does not deliver the bot’s own messages', async () => {
    // The adapter's listener was registered first, so once the bot has emitted the echo the adapter has seen it.
    const echoed = nextBotMessage(bot, (m) => m.self());
    await channel.send({ to: { kind: 'person', id: alice.id }, text: '收到，正在为您派单', mentions: [] });
    await echoed;
    alice.say('谢谢').to(botUser);
    await nextReceived('谢谢');
    expect(received.filter((m) => m.from === botUser.id)).toEqual([]);
  });

  it('throws a clear error when the recipient is unknown', async () => {
    await expect(channel.send({ to: { kind: 'room', id: 'missing@chatroom' }, text: 'x', mentions: [] })).rejects.toThrow(
      /no room with id missing@chatroom/,
    );
    await expect(channel.send({ to: { kind: 'person', id: 'missing' }, text: 'x', mentions: [] })).rejects.toThrow(/no contact with id missing/);
  });
});
