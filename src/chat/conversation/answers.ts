/**
 * The short answers every conversation understands: yes, no, and leaving. Compared whole, after
 * normalising width and trimming punctuation and trailing particles (「好的呀」「确认！」).
 */
import { normalizeText } from '../../kernel/text.js';

export type Answer = 'yes' | 'no' | 'cancel';

const WORDS: ReadonlyMap<string, Answer> = new Map<string, Answer>([
  ...list('yes', ['确认', '是', '对', '好的', '好', '没问题', '是的', '对的', '确定', '可以', '行', '嗯', '嗯嗯', '同意', '没错', '确认无误', 'ok', 'yes']),
  ...list('no', ['不对', '否', '不是', '修改', '不', '错了', '不行', '不确认', '有误', '不正确', '重填', 'no']),
  ...list('cancel', ['取消', '取消订单', '撤单', '不要了', '不需要了', '不用了', '算了', '不办了']),
]);
const LEADING_MENTION = /^(?:@[^\s@]+\s+)+/;
const EDGE_PUNCTUATION = /^[\s,.;:!?~，。；：！？、～]+|[\s,.;:!?~，。；：！？、～]+$/g;
const TRAILING_FILLER = /[了啦吧哈啊呀哦嘛]+$/;

/**
 * A short message as one comparable word: width normalised, leading @mentions, edge punctuation and case dropped.
 * Trailing particles (了, 啦, 呀…) are kept; `withoutFiller` drops them.
 * @example wholeMessage('@邻里助手 帮助！') // '帮助'
 */
export function wholeMessage(text: string): string {
  return normalizeText(text).replace(LEADING_MENTION, '').replace(EDGE_PUNCTUATION, '').toLowerCase();
}

/** 「好的呀」 → 「好的」. */
export function withoutFiller(word: string): string {
  return word.replace(TRAILING_FILLER, '');
}

/**
 * Read a whole message as yes, no or cancel; null when it says something else.
 * @example readAnswer('好的呀！') // 'yes'
 */
export function readAnswer(text: string): Answer | null {
  const clean = wholeMessage(text);
  return WORDS.get(clean) ?? WORDS.get(withoutFiller(clean)) ?? null;
}

function list(answer: Answer, words: readonly string[]): [string, Answer][] {
  return words.map((w) => [w, answer]);
}
