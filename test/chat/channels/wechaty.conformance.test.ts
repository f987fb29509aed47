import { WechatyBuilder, type Message, type Wechaty } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { createWechatyChannel, INGEST_RETRY } from '../../../src/chat/channels/wechaty.js';
import { describeChannelConformance, type ChannelHarness, type PlatformDelivery, type Shown } from './conformance.js';

const quietLog = { info: () => {}, warn: () => {}, error: () => {} };
/** How a WeChat client shows one @-mention at the start of a message: `@name` then U+2005 or a space. */
const LEADING_MENTION = /^@([^@\u2005 ]+)[\u2005 ]/;

/** The platform is wechaty-puppet-mock: mock contacts and rooms write to the bot, and see what it says. */
async function createWechatyHarness(): Promise<ChannelHarness> {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const bot: Wechaty = WechatyBuilder.build({ puppet });
  const botUser = mocker.createContact({ name: '邻里助手' });
  const contacts = new Map<string, mock.ContactMock>([[botUser.id, botUser]]);
  const rooms = new Map<string, mock.RoomMock>();
  const find = <T>(map: Map<string, T>, id: string): T => {
    const found = map.get(id);
    if (!found) throw new Error(`the harness made no ${id}`);
    return found;
  };

  /** Settles when the bot emits this message id; the adapter's listener, registered first, has then seen it. */
  const handedOver = (id: string) =>
    new Promise<Message>((resolve) => {
      const listener = (m: Message) => {
        if (m.id !== id) return;
        bot.off('message', listener);
        resolve(m);
      };
      bot.on('message', listener);
    });
  const delivered = (id: string, accepted: Promise<unknown>): PlatformDelivery => ({
    accepted,
    redeliver() {
      const again = handedOver(id);
      puppet.emit('message', { messageId: id });
      return delivered(id, again);
    },
  });

  /** What people see: the leading `@name`s are the mentions, the rest is the text. */
  function readShown(text: string): Shown {
    const byName = new Map([...contacts.values()].map((c) => [c.payload.name, c.id]));
    const mentions: string[] = [];
    let rest = text;
    for (let m = LEADING_MENTION.exec(rest); m && byName.has(m[1] ?? ''); m = LEADING_MENTION.exec(rest)) {
      mentions.push(find(byName, m[1] ?? ''));
      rest = rest.slice(m[0].length);
    }
    return { text: rest, mentions };
  }

  return {
    channel: createWechatyChannel({ bot, log: quietLog }),
    async connect() {
      const loggedIn = new Promise((resolve) => bot.once('login', resolve));
      mocker.login(botUser);
      await loggedIn;
    },
    botId: botUser.id,
    botMention: '@邻里助手',
    dropsRedeliveries: true,
    ingestFailure: { kind: 'retries', ...INGEST_RETRY },
    async createPerson(name) {
      const contact = mocker.createContact({ name });
      contacts.set(contact.id, contact);
      return contact.id;
    },
    async createRoom(topic, members) {
      const room = mocker.createRoom({ topic, memberIdList: [botUser.id, ...members] });
      rooms.set(room.id, room);
      return room.id;
    },
    say({ from, text, room, mentions = [], mentionBot = false }) {
      const mentioned = [...(mentionBot ? [botUser.id] : []), ...mentions].map((id) => find(contacts, id));
      let id: string | undefined;
      // The mock emits the new message's id synchronously inside `to()`.
      puppet.once('message', ({ messageId }) => {
        id = messageId;
      });
      find(contacts, from).say(text, mentioned).to(room ? find(rooms, room) : botUser);
      if (!id) throw new Error('the mock puppet did not emit the message');
      return delivered(id, handedOver(id));
    },
    nextShown(to) {
      const target = to.kind === 'person' ? find(contacts, to.id) : find(rooms, to.id);
      return new Promise((resolve) => {
        const listener = (m: mock.MessageMock) => {
          if (m.payload.talkerId !== botUser.id) return;
          target.off('message', listener);
          resolve(readShown(m.payload.text ?? ''));
        };
        target.on('message', listener);
      });
    },
  };
}

describeChannelConformance('wechaty (wechaty-puppet-mock)', createWechatyHarness);
