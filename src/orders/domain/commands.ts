/**
 * Order commands (SPEC §4.5–4.8): turn what people type in groups and private chats into a Command,
 * or null for free text (which then goes to intake). Tolerates full-width input, @mentions and quoted replies.
 */
import { isComplaint } from './complaint.js';

export type Command =
  | { kind: 'claim'; no: string | null }
  | { kind: 'release'; no: string | null }
  | { kind: 'arrive'; no: string | null }
  | { kind: 'complete'; no: string | null; hours: number | null }
  | { kind: 'assign'; no: string | null; target: string | null }
  | { kind: 'cancel'; no: string | null }
  | { kind: 'progress' }
  | { kind: 'rating'; stars: number; comment: string | null; complaint: boolean }
  /** 处理 <单号> 记时|不记时 [小时] [说明]: the grid worker settles a disputed order; approve null when neither was said. */
  | { kind: 'settle'; no: string | null; approve: boolean | null; hours: number | null; note: string | null; noShow: boolean };

type NumberedKind = 'claim' | 'release' | 'arrive' | 'complete' | 'assign' | 'cancel' | 'progress' | 'settle';

/** Whole-message answers; compared after trimming punctuation and lower-casing. */
const EXACT: ReadonlyMap<string, Command> = new Map<string, Command>([
  ...words({ kind: 'progress' }, ['我的单', '查询', '订单', '我的订单', '查进度', '查询进度', '订单进度']),
  ...words({ kind: 'cancel', no: null }, ['不要了', '不需要了', '不用了']),
]);

/** Keyword, then an optional order number (and hours, or an @target). Longest keywords are tried first. */
const KEYWORDS: readonly (readonly [string, NumberedKind])[] = (
  [
    ['接单', 'claim'], ['抢单', 'claim'], ['我来', 'claim'], ['我接', 'claim'], ['我接单', 'claim'], ['我来接', 'claim'],
    ['放弃', 'release'], ['退单', 'release'], ['放弃接单', 'release'],
    ['到达', 'arrive'], ['已到', 'arrive'], ['已到达', 'arrive'], ['我到了', 'arrive'], ['到了', 'arrive'],
    ['完成', 'complete'], ['已完成', 'complete'], ['服务完成', 'complete'], ['完工', 'complete'],
    ['派单', 'assign'], ['指派', 'assign'], ['派给', 'assign'],
    ['取消', 'cancel'], ['取消订单', 'cancel'], ['撤单', 'cancel'],
    ['进度', 'progress'], ['查询', 'progress'],
    ['处理', 'settle'], ['回访处理', 'settle'],
  ] as const
).slice().sort((a, b) => b[0].length - a[0].length);

const NO_PREFIX = '(?:#|no\\.?|单号|订单号?|编号)\\s*:?\\s*';
/** 3–6 digits, not part of a longer number or a decimal, not followed by an hour unit (完成 120分钟). */
const NO_AT_START = new RegExp(`^(?:${NO_PREFIX})?(\\d{3,6})(?![\\d.])(?!\\s*(?:个|小时|钟头|分|h|min))号?`, 'i');
const NO_ONLY = new RegExp(`^(?:${NO_PREFIX})?(\\d{3,6})号?$`, 'i');
const NO_PREFIXED_ANYWHERE = new RegExp(`${NO_PREFIX}(\\d{3,6})(?!\\d)`, 'i');
/** A bare number in a quote, excluding dates, times, house numbers and masked phones. */
const NO_BARE = /(?<![\d.:*\-/])(\d{3,6})(?![\d.:*\-/年月日楼栋号元])/;
/** WeChat separates a quote from the reply with a line of spaced dashes. */
const QUOTE_SEPARATOR = /\n\s*-(?:\s*-){4,}\s*(?:\n|$)/;
const LEADING_QUOTE = /^「([\s\S]*?)」\s*\n([\s\S]*)$/;
const LEADING_MENTION = /^@[^\s@]+\s+/;
const EDGE_PUNCTUATION = /^[\s,.;:!~]+|[\s,.;:!?~]+$/g;
const TRAILING_FILLER = /[了啦吧哈啊呀哦嘛]+$/;
const TARGET = /给?\s*@([^\s@]+)/;

/** Ratings: a star count 1–5 (digit, 一…五 with 星/分, or ★), an optional unit, then a comment. */
const RATING = /^(?:(?:评价|评分|打分|打)\s*:?\s*)?(?:([1-5])(?![\d.])|([一二两三四五])(?=\s*颗?\s*[星分])|(★{1,5}))\s*颗?\s*(星|分)?([\s\S]*)$/;
/** After a bare digit these mean it was an address or a time, not stars (5号楼, 3点, 2小时). */
const NOT_RATING_AFTER = /^\s*(?:号|楼|栋|幢|单元|层|室|点|个|岁|月|日|天|年|元|块|斤|次|小时|分钟|钟|min|h\b|:|\/|-)/i;
/** 记时 / 不记时 (also 计时, 算/不算时长) after the order number of 处理. */
const SETTLE_VERDICT = /^(不)?(?:记|计|算)(?:时|时长|工时)/;
const NO_SHOW = /没(?:有)?人?来(?!得)|没到|未到|爽约|放鸽子/;
const CHINESE_DIGITS: Readonly<Record<string, number>> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const MINUTES_PER_HOUR = 60;
const HALF_HOUR = 0.5;

/**
 * Parse a chat message into a command, or null when it is free text.
 * @example parseCommand('@邻里助手 接单 #１２３４５６') // { kind: 'claim', no: '123456' }
 */
export function parseCommand(text: string): Command | null {
  const { quote, reply } = splitQuote(normalizeText(text));
  let body = reply.trim();
  while (LEADING_MENTION.test(body)) body = body.replace(LEADING_MENTION, '');
  const clean = body.replace(EDGE_PUNCTUATION, '');
  if (clean === '') return null;

  const command = matchExact(clean) ?? matchKeyword(clean) ?? matchRating(clean);
  if (command && 'no' in command && command.no === null && quote !== '') {
    return { ...command, no: findOrderNo(quote) };
  }
  return command;
}

/**
 * Parse a spoken duration into hours: '1.5', '2小时', '一个半小时', '90分钟', '1小时30分'. Null when it is not one.
 * @example parseHours('一个半小时') // 1.5
 */
export function parseHours(text: string): number | null {
  const s = text.trim().toLowerCase();
  const NUM = '(\\d+(?:\\.\\d+)?|[零一二两三四五六七八九十]+)';
  let m = new RegExp(`^${NUM}\\s*个?\\s*(?:小时|钟头|个钟|h|hrs?|hours?)?$`).exec(s);
  if (m) return parseNumber(m[1]!);
  m = new RegExp(`^${NUM}\\s*(?:分钟|分|mins?|minutes?)$`).exec(s);
  if (m) return divide(parseNumber(m[1]!), MINUTES_PER_HOUR);
  m = new RegExp(`^${NUM}?\\s*个?\\s*半\\s*(?:小时|钟头|个钟)$`).exec(s);
  if (m) return m[1] === undefined ? HALF_HOUR : add(parseNumber(m[1]), HALF_HOUR);
  m = new RegExp(`^${NUM}\\s*个?\\s*(?:小时|钟头)\\s*${NUM}\\s*分钟?$`).exec(s);
  if (m) return add(parseNumber(m[1]!), divide(parseNumber(m[2]!), MINUTES_PER_HOUR));
  return null;
}

/** Full-width ASCII to half-width, odd spaces to plain ones, Chinese full stop and enumeration comma to ASCII. */
function normalizeText(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' ')
    .replace(/\r\n?/g, '\n')
    .replace(/。/g, '.')
    .replace(/、/g, ',');
}

function splitQuote(text: string): { quote: string; reply: string } {
  const separator = QUOTE_SEPARATOR.exec(text);
  if (separator) {
    return { quote: text.slice(0, separator.index), reply: text.slice(separator.index + separator[0].length) };
  }
  const leading = LEADING_QUOTE.exec(text);
  if (leading) return { quote: leading[1]!, reply: leading[2]! };
  return { quote: '', reply: text };
}

function findOrderNo(quote: string): string | null {
  const m = NO_PREFIXED_ANYWHERE.exec(quote) ?? NO_BARE.exec(quote);
  return m ? m[1]! : null;
}

function matchExact(clean: string): Command | null {
  const lower = clean.toLowerCase();
  const found = EXACT.get(lower) ?? EXACT.get(lower.replace(TRAILING_FILLER, ''));
  // A copy, so a caller that edits its command cannot change the table.
  return found ? { ...found } : null;
}

function matchKeyword(clean: string): Command | null {
  for (const [keyword, kind] of KEYWORDS) {
    if (!clean.startsWith(keyword)) continue;
    // 接单了 123456, 完成, 123456, 接单啦: a filler or separator may follow the keyword, a filler may end the line.
    const tail = clean.slice(keyword.length).replace(/^[了啦]?[\s,:]*/, '').replace(TRAILING_FILLER, '').trim();
    return parseTail(kind, tail);
  }
  return null;
}

function parseTail(kind: NumberedKind, tail: string): Command | null {
  switch (kind) {
    case 'complete': {
      const m = NO_AT_START.exec(tail);
      const no = m ? m[1]! : null;
      const rest = (m ? tail.slice(m[0].length) : tail).replace(/^[\s,]+/, '');
      const hours = rest === '' ? null : parseHours(rest);
      return rest !== '' && hours === null ? null : { kind, no, hours };
    }
    case 'assign': {
      const target = TARGET.exec(tail);
      const rest = (target ? tail.replace(TARGET, ' ') : tail).replace(/[\s,]+/g, ' ').trim();
      const no = parseNoOnly(rest);
      return no === undefined ? null : { kind, no, target: target ? target[1]! : null };
    }
    case 'progress':
      return parseNoOnly(tail) === undefined ? null : { kind };
    case 'settle':
      return parseSettle(tail);
    default: {
      const no = parseNoOnly(tail);
      return no === undefined ? null : { kind, no };
    }
  }
}

/** 「123456 记时 1.5小时 已回访属实」 → the number, the verdict, optional hours and the note. */
function parseSettle(tail: string): Command | null {
  const m = NO_AT_START.exec(tail);
  if (!m) return null;
  let rest = tail.slice(m[0].length).replace(/^[\s,]+/, '');
  const verdict = SETTLE_VERDICT.exec(rest);
  rest = verdict ? rest.slice(verdict[0].length).replace(/^[\s,]+/, '') : rest;
  const hoursText = /^(\S+?(?:小时|钟头|h)|\d+(?:\.\d+)?)(?=[\s,]|$)/.exec(rest);
  const hours = hoursText ? parseHours(hoursText[1]!) : null;
  if (hours !== null) rest = rest.slice(hoursText![0].length).replace(/^[\s,]+/, '');
  const note = rest.trim() === '' ? null : rest.trim();
  return { kind: 'settle', no: m[1]!, approve: verdict ? verdict[1] === undefined : null, hours, note, noShow: note !== null && NO_SHOW.test(note) };
}

/** '' → null (no number given), '#123456' → '123456', anything else → undefined (not a command). */
function parseNoOnly(tail: string): string | null | undefined {
  const t = tail.trim();
  if (t === '') return null;
  const m = NO_ONLY.exec(t);
  return m ? m[1]! : undefined;
}

function matchRating(clean: string): Command | null {
  const m = RATING.exec(clean);
  if (!m) return null;
  const [, digit, chinese, starGlyphs, unit, rest = ''] = m;
  if (digit !== undefined && unit === undefined && NOT_RATING_AFTER.test(rest)) return null;
  if (unit === '分' && rest.startsWith('钟')) return null;
  const stars = digit !== undefined ? Number(digit) : chinese !== undefined ? CHINESE_DIGITS[chinese]! : starGlyphs!.length;
  const comment = rest.replace(/^[\s,.;:!~]+/, '').trim();
  return { kind: 'rating', stars, comment: comment === '' ? null : comment, complaint: isComplaint(comment) };
}

/** Arabic decimals or Chinese numerals up to 99 (十二, 二十, 四十五). */
function parseNumber(s: string): number | null {
  if (/^\d/.test(s)) return Number(s);
  if (s.length === 1) return s === '十' ? 10 : (CHINESE_DIGITS[s] ?? null);
  const m = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (!m) return null;
  return (m[1] ? CHINESE_DIGITS[m[1]]! : 1) * 10 + (m[2] ? CHINESE_DIGITS[m[2]]! : 0);
}

function add(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

function divide(a: number | null, b: number): number | null {
  return a === null ? null : a / b;
}

function words(command: Command, list: readonly string[]): [string, Command][] {
  return list.map((w) => [w, command]);
}
