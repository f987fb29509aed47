/**
 * Help: what someone can do, by role (帮助, 你好, ?), the volunteer sign-up hint, and the answer to anything
 * no other feature understood. Registered last, so it only hears what nobody else took.
 */
import path from 'node:path';
import { wholeMessage, withoutFiller, type ChatFeature, type ChatMessage } from '../chat/index.js';
import type { Person, Room } from '../directory/index.js';

export const helpFlows = path.join(__dirname, 'flows');
const FLOW = 'help';

const HELP_WORDS = new Set(['帮助', '菜单', '怎么用', '你好', '您好', '在吗', '功能', '说明', '使用说明', 'help', 'hi', 'hello']);
const REGISTER_WORDS = new Set(['注册志愿者', '志愿者注册', '注册', '我要注册', '报名志愿者', '我要当志愿者', '成为志愿者']);

const word = (m: ChatMessage) => withoutFiller(wholeMessage(m.text));

type Feature = ChatFeature<Person, Room, true>;

export function createHelpChat() {
  const help: Feature = {
    name: 'help',
    where: ['private', 'team', 'workers', 'grid'],
    recognise: (m) => (HELP_WORDS.has(word(m)) || /^[?？]+$/.test(m.text.trim()) ? true : null),
    async handle(_, ctx) {
      ctx.reply(ctx.flows.say(FLOW, ctx.person.role));
    },
  };
  const register: Feature = {
    name: 'help.register',
    where: ['private'],
    recognise: (m) => (REGISTER_WORDS.has(word(m)) ? true : null),
    async handle(_, ctx) {
      ctx.reply(ctx.flows.say(FLOW, 'register'));
    },
  };
  /** Nobody understood: say what can be sent. In a group, only when the bot was addressed. */
  const fallback: Feature = {
    name: 'help.fallback',
    where: ['private', 'team', 'workers', 'grid'],
    recognise: (m) => (m.room === null || m.mentionsBot ? true : null),
    async handle(_, ctx) {
      ctx.reply(ctx.flows.say(FLOW, ctx.room ? 'group_unknown' : 'unknown'));
    },
  };
  return { help, register, fallback };
}
