import { WechatyBuilder, type Message, type Wechaty } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { Channel, InboundMessage } from '../../src/channels/channel.js';
import { createWechatyChannel } from '../../src/channels/wechaty-channel.js';

const WAIT_MS = 5000;
const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

/** Resolves with the first value `accept` matches among values pushed after the call, or fails after WAIT_MS. */
function createInbox<T>() {
  const items: T[] = [];
  const waiters: Array<{ accept: (v: T) => boolean; resolve: (v: T) => void }> = [];
  return {
    items,
    push(item: T) {
      items.push(item);
      const i = waiters.findIndex((w) => w.accept(item));
      if (i >= 0) waiters.splice(i, 1)[0]?.resolve(item);
    },
    next(accept: (v: T) => boolean): Promise<T> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a message')), WAIT_MS);
        waiters.push({ accept, resolve: (v) => (clearTimeout(timer), resolve(v)) });
      });
    },
  };
}

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
  const inbox = createInbox<InboundMessage>();
  let failOn: string | undefined;

  const botUser = mocker.createContact({ name: '邻里助手' });
  const alice = mocker.createContact({ name: '王阿姨' });
  const bob = mocker.createContact({ name: '李师傅' });
  const room = mocker.createRoom({ topic: '幸福里志愿服务队', memberIdList: [botUser.id, alice.id, bob.id] });

  beforeAll(async () => {
    bot = WechatyBuilder.build({ puppet });
    channel = createWechatyChannel({ bot, log: quietLog });
    const loggedIn = new Promise((resolve) => bot.once('login', resolve));
    await channel.start(async (message) => {
      inbox.push(message);
      if (message.text === failOn) throw new Error('handler failure');
      return message.platformMessageId;
    });
    mocker.login(botUser);
    await loggedIn;
  });

  afterAll(async () => {
    await channel.stop();
  });

  it('delivers a private message as an InboundMessage without a room', async () => {
    const received = inbox.next((m) => m.from === alice.id);
    alice.say('明天上午九点半家里水管漏水').to(botUser);
    const message = await received;
    expect(message).toMatchObject({
      channel: 'wechaty',
      from: alice.id,
      fromName: '王阿姨',
      text: '明天上午九点半家里水管漏水',
      mentions: [],
      mentionsBot: false,
    });
    expect(message.room).toBeUndefined();
    expect(message.platformMessageId).toEqual(expect.any(String));
  });

  it('delivers a room message mentioning the bot with the mention stripped', async () => {
    const received = inbox.next((m) => m.room === room.id);
    bob.say('@邻里助手\u2005接单 0012', [botUser]).to(room);
    const message = await received;
    expect(message).toMatchObject({ from: bob.id, room: room.id, text: '接单 0012', mentions: [botUser.id], mentionsBot: true });
  });

  it('does not deliver the bot’s own messages', async () => {
    // The adapter's listener was registered first, so once the bot has emitted the echo the adapter has seen it.
    const echoed = nextBotMessage(bot, (m) => m.self());
    await channel.send({ to: { kind: 'person', id: alice.id }, text: '收到，正在为您派单', mentions: [] });
    await echoed;
    const received = inbox.next((m) => m.text === '谢谢');
    alice.say('谢谢').to(botUser);
    await received;
    expect(inbox.items.filter((m) => m.from === botUser.id)).toEqual([]);
  });

  it('handles a redelivered message id once', async () => {
    const first = inbox.next((m) => m.text === '第一次');
    alice.say('第一次').to(botUser);
    const { platformMessageId } = await first;
    const redelivered = nextBotMessage(bot, (m) => m.id === platformMessageId);
    puppet.emit('message', { messageId: platformMessageId });
    await redelivered;
    const after = inbox.next((m) => m.text === '之后');
    alice.say('之后').to(botUser);
    await after;
    expect(inbox.items.filter((m) => m.platformMessageId === platformMessageId)).toHaveLength(1);
  });

  it('keeps delivering after the handler throws', async () => {
    failOn = '会出错';
    const failing = inbox.next((m) => m.text === '会出错');
    alice.say('会出错').to(botUser);
    await failing;
    const next = inbox.next((m) => m.text === '还在吗');
    alice.say('还在吗').to(botUser);
    await expect(next).resolves.toMatchObject({ from: alice.id });
  });

  it('sends to a person', async () => {
    const delivered = new Promise<string | undefined>((resolve) => alice.once('message', (m) => resolve(m.text())));
    await channel.send({ to: { kind: 'person', id: alice.id }, text: '志愿者李师傅已接单', mentions: [] });
    await expect(delivered).resolves.toBe('志愿者李师傅已接单');
  });

  it('sends to a room, prefixing the mentioned people', async () => {
    const delivered = new Promise<string | undefined>((resolve) => room.once('message', (m) => resolve(m.text())));
    await channel.send({ to: { kind: 'room', id: room.id }, text: '新需求单 0013，请接单', mentions: [bob.id] });
    await expect(delivered).resolves.toBe('@李师傅 新需求单 0013，请接单');
  });

  it('throws a clear error when the recipient is unknown', async () => {
    await expect(channel.send({ to: { kind: 'room', id: 'missing@chatroom' }, text: 'x', mentions: [] })).rejects.toThrow(
      /no room with id missing@chatroom/,
    );
  });
});
