/**
 * Reading a check-in reply (SPEC §5): 「碰头 正常」, 「需求：…」, 「隐患：…（较大）」, 「销号 12 已清理」, 「转单 12」.
 * One message may hold several items: lines, 「；」, or a new item label after a comma or space.
 */
import { normalizeText } from '../../kernel/text.js';
import { RISK_LEVELS, type RiskLevel } from './vocabulary.js';

export type CheckinLine =
  | { kind: 'need'; text: string }
  | { kind: 'risk'; text: string; level: RiskLevel }
  | { kind: 'close'; no: string; note: string | null }
  | { kind: 'convert'; no: string }
  | { kind: 'ok' };

export interface ParsedReply {
  lines: CheckinLine[];
  /** true when some non-empty line matched nothing */
  unparsed: boolean;
}

/** A flood of lines must not become a flood of list items; the rest counts as unparsed. */
const MAX_ITEMS_PER_REPLY = 30;
/** Item texts beyond this are cut with an ellipsis. */
const MAX_ITEM_CHARS = 500;

const LEVEL = '(一般|较大|重大)';
/** 「1.」「1、」「(1)」「①」「一、」 before an item. */
const LIST_MARK = String.raw`(?:\(?\d{1,2}[).、]|[①-⑳]|\(?[一二三四五六七八九十]{1,2}[、.)]|[-*•·])?\s*`;
const LEAD_LEVEL = String.raw`(?:[【\[(]\s*${LEVEL}\s*[】\])]\s*)?`;
const NEED_WORD = '(?:新增?|居民)?需求';
const RISK_WORD = '(?:一般|较大|重大|新增?|安全|风险)?(?:隐患|风险)';
/** A label needs brackets (【需求】) or a separator after it (需求：, 需求 ), so 「隐患排查已完成」 stays free text. */
const label = (word: string) => String.raw`(?:[【\[]\s*(${word})\s*[】\]]\s*[:,]?|(${word})(?:\s*[:,]|\s))\s*`;
const NOS = String.raw`#?\d{1,12}(?:\s*[、,/和及]\s*#?\d{1,12}(?!\d*\s*[号楼栋单元室层户]))*`;
const CLOSE_WORD = '已?销号';
const CONVERT_WORD = '转(?:为|成)?订?单';
/** Like label(), but also 「隐患（较大）：…」 with the level right after the word. */
const RISK_LABEL = String.raw`(?:[【\[]\s*(${RISK_WORD})\s*[】\]]\s*[:,]?|(${RISK_WORD})\s*(?:[(\[【]\s*${LEVEL}\s*[)\]】])?(?:\s*[:,]|\s|(?<=[)\]】])))\s*`;
const numbered = (word: string) => String.raw`${word}\s*[:,]?\s*(?:编号|第)?\s*(${NOS})(?:号(?![楼栋])|项)?`;

const NEED = new RegExp(`^${LIST_MARK}${label(NEED_WORD)}(.*)$`);
const RISK = new RegExp(`^${LIST_MARK}${LEAD_LEVEL}${RISK_LABEL}(.*)$`);
const CLOSE = new RegExp(`^${LIST_MARK}${numbered(CLOSE_WORD)}(.*)$`);
const CONVERT = new RegExp(`^${LIST_MARK}${numbered(CONVERT_WORD)}(.*)$`);
/** Where a new item starts inside a line (tested at each position after a separator). */
const ITEM_START = new RegExp(
  `${LIST_MARK}${LEAD_LEVEL}(?:${label(NEED_WORD)}|${RISK_LABEL}|${CLOSE_WORD}\\s*[:,]?\\s*#?\\d|${CONVERT_WORD}\\s*[:,]?\\s*#?\\d)`,
  'y',
);
const PIECE_SEPARATOR = /[,。!?、\s]/;
const LIST_MARK_ONLY = new RegExp(`^${LIST_MARK}$`);

/** Level markers inside a risk text: （较大） 【重大】 [一般隐患] 等级：较大 重大隐患 属较大风险, or a bare level at either end. */
const LEVEL_MARKERS: readonly RegExp[] = [
  new RegExp(String.raw`[(\[【]\s*(?:等级|级别)?\s*:?\s*${LEVEL}\s*(?:安全)?(?:隐患|风险)?\s*[)\]】]`, 'g'),
  new RegExp(String.raw`(?:等级|级别)\s*[:为是]?\s*${LEVEL}`, 'g'),
  new RegExp(String.raw`(?:属于?|为|是)?${LEVEL}(?:安全)?(?:隐患|风险)`, 'g'),
  new RegExp(String.raw`(?:^|[\s,。])${LEVEL}$`, 'g'),
  new RegExp(String.raw`^${LEVEL}(?:[\s,:]+)`, 'g'),
];

/** One 「碰头正常」-style token: optional time, 碰头, subject, then a state such as 正常/收到/无异常. */
const OK_TOKEN = new RegExp(
  '^(?:今[天日]|今早|今晚|早上|晚上|上午|下午|早|晚)?的?' +
    '已?(?<checkin>碰头|签到|报到|打卡)?了?' +
    '(?:本|我|我们|各)?(?:网格|辖区|楼栋?|小区|这边|片区|单元|楼里)?内?(?:情况|事项)?' +
    '(?<state>(?:一切|均|都|全部|目前)?(?:正常|平安|安全|稳定|良好|无异常|无事|没事|好)' +
    '|已?(?:收到|到|阅|知悉)|好的|ok|okay|明白|了解|1|在' +
    '|(?:暂|目前|今日)?(?:无|没有|没)(?:新增?|新的)?(?:需求|隐患|情况|异常|问题|风险|事项|反映|变化)?' +
    '|(?:需求|隐患|风险)暂?(?:无|没有))?' +
    '[了的啦哈啊呀哦嘞呢]*$',
  'i',
);
/** Labelled free reports (今日重点：…, 工作进展：…) count as a check-in without a format hint. */
const REPORT = /^(?:今[日天]|明[日天]|本周)?(?:工作)?(?:重点|工作|进展|情况|安排|汇报|备注|说明|走访)(?:工作|事项|情况|进展|安排)?\s*[:：]\s*\S/;
const OK_TOKEN_SEPARATORS = /[\s,.。!?~、:;]+/;
/** Emoji and WeChat's bracketed stickers ([强] [OK] [抱拳]) say nothing beyond "seen". */
const STICKERS = /\p{Extended_Pictographic}|\uFE0F|\[(?:强|OK|ok|握手|抱拳|玫瑰|微笑|耶|好的|胜利)\]/gu;
const MENTION = /@[^\s@]+(?:\s|$)/g;
/** WeChat separates a quote from the reply with a line of spaced dashes. */
const QUOTE_SEPARATOR = /\n\s*-(?:\s*-){4,}\s*(?:\n|$)/;
/** 「张三：quoted text」 on the first lines, then the reply. */
const LEADING_QUOTE = /^\s*「[^」]*」\s*\n/;
const FULL_WIDTH: Readonly<Record<string, string>> = { ',': '，', ';': '；', ':': '：', '!': '！', '?': '？' };
const EDGE_PUNCTUATION = /^[\s,.。;:、\-—]+|[\s,.。;:、\-—]+$/g;

type Piece = { text: string; afterSemicolon: boolean };

/**
 * Parse a check-in reply; one message may hold several lines (split on newlines and on ；/; between items).
 * @example parseCheckinReply('碰头 正常\n隐患：5号楼楼道堆放杂物（较大）') // { lines: [{ kind: 'ok' }, { kind: 'risk', text: '5号楼楼道堆放杂物', level: '较大' }], unparsed: false }
 */
export function parseCheckinReply(text: string): ParsedReply {
  const lines: CheckinLine[] = [];
  let unparsed = false;
  for (const rawLine of stripQuote(text ?? '').split(/\r\n|\r|\n/)) {
    const line = normalizeText(rawLine).replace(MENTION, ' ').trim();
    let previous: CheckinLine | null = null;
    for (const piece of splitPieces(line)) {
      const parsed = parsePiece(piece.text);
      if (parsed) {
        for (const item of parsed) {
          if (item.kind === 'ok' && lines.some((l) => l.kind === 'ok')) continue;
          if (lines.length >= MAX_ITEMS_PER_REPLY) unparsed = true;
          else lines.push(item);
        }
        previous = parsed[parsed.length - 1] ?? null;
      } else if (isOkText(piece.text)) {
        if (!lines.some((l) => l.kind === 'ok')) lines.push({ kind: 'ok' });
      } else if (piece.afterSemicolon && previous && (previous.kind === 'need' || previous.kind === 'risk')) {
        // 「需求：王奶奶买药；李爷爷理发」 keeps the unlabelled rest with the item it follows.
        previous.text = cutText(`${previous.text}；${clean(piece.text)}`);
      } else if (piece.afterSemicolon && previous?.kind === 'close') {
        previous.note = cutText(previous.note === null ? clean(piece.text) : `${previous.note}；${clean(piece.text)}`);
      } else if (REPORT.test(piece.text)) {
        // The prompt asks for 今日重点; a labelled free report is understood, not a format mistake.
        if (!lines.some((l) => l.kind === 'ok')) lines.push({ kind: 'ok' });
      } else {
        unparsed = true;
      }
    }
  }
  return { lines, unparsed };
}

function stripQuote(text: string): string {
  const separator = QUOTE_SEPARATOR.exec(text);
  if (separator) return text.slice(separator.index + separator[0].length);
  const leading = LEADING_QUOTE.exec(text);
  return leading ? text.slice(leading[0].length) : text;
}

/** Split a line at 「;」 and wherever a new item label starts after a comma, full stop or space. */
function splitPieces(line: string): Piece[] {
  const pieces: Piece[] = [];
  line.split(';').forEach((segment, index) => {
    let start = 0;
    for (let i = 1; i < segment.length; i++) {
      if (!PIECE_SEPARATOR.test(segment.charAt(i - 1))) continue;
      ITEM_START.lastIndex = i;
      if (!ITEM_START.test(segment) || LIST_MARK_ONLY.test(segment.slice(start, i))) continue;
      pieces.push({ text: segment.slice(start, i), afterSemicolon: index > 0 && start === 0 });
      start = i;
    }
    pieces.push({ text: segment.slice(start), afterSemicolon: index > 0 && start === 0 });
  });
  return pieces.map((p) => ({ ...p, text: p.text.replace(EDGE_PUNCTUATION, '') })).filter((p) => p.text !== '');
}

/** The items one labelled piece holds, [ok] for 「需求：无」, or null when it carries no label. */
function parsePiece(text: string): CheckinLine[] | null {
  let m = CLOSE.exec(text);
  if (m) {
    const note = clean(m[2]!);
    return readNos(m[1]!).map((no) => ({ kind: 'close', no, note: note === '' ? null : cutText(note) }));
  }
  m = CONVERT.exec(text);
  if (m) return readNos(m[1]!).map((no) => ({ kind: 'convert', no }));
  m = RISK.exec(text);
  if (m) {
    const word = m[2] ?? m[3] ?? '';
    const { rest, level } = extractLevel(m[5]!);
    if (isOkText(rest)) return [{ kind: 'ok' }];
    const levels = [m[1], /一般|较大|重大/.exec(word)?.[0], m[4], level].filter((l): l is RiskLevel => l !== undefined && l !== null);
    return rest === '' ? null : [{ kind: 'risk', text: cutText(rest), level: maxLevel(levels) }];
  }
  m = NEED.exec(text);
  if (m) {
    const rest = clean(m[3]!);
    if (isOkText(rest)) return [{ kind: 'ok' }];
    return rest === '' ? null : [{ kind: 'need', text: cutText(rest) }];
  }
  return null;
}

/** Take every level marker out of a risk text; the most severe one wins. */
function extractLevel(text: string): { rest: string; level: RiskLevel | null } {
  const found: RiskLevel[] = [];
  let rest = text;
  for (const marker of LEVEL_MARKERS) {
    rest = rest.replace(marker, (_all, level: RiskLevel) => {
      found.push(level);
      return ' ';
    });
  }
  return { rest: clean(rest), level: found.length > 0 ? maxLevel(found) : null };
}

function maxLevel(levels: readonly RiskLevel[]): RiskLevel {
  return levels.reduce<RiskLevel>((top, l) => (RISK_LEVELS.indexOf(l) > RISK_LEVELS.indexOf(top) ? l : top), '一般');
}

/** 「12、13」「#12 和 #13」 → ['12', '13'] without leading zeros or duplicates. */
function readNos(text: string): string[] {
  const nos = (text.match(/\d+/g) ?? []).map((n) => n.replace(/^0+(?=\d)/, ''));
  return [...new Set(nos)];
}

/** Whether a piece says only 「正常」「收到」「无异常」「暂无需求」 and the like (stickers and emoji included). */
function isOkText(text: string): boolean {
  const plain = text.replace(STICKERS, ' ').trim();
  if (plain === '') return text.trim() !== '';
  return plain.split(OK_TOKEN_SEPARATORS).every((token) => {
    if (token === '') return true;
    const groups = OK_TOKEN.exec(token)?.groups;
    return groups !== undefined && (groups['checkin'] !== undefined || groups['state'] !== undefined);
  });
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').replace(EDGE_PUNCTUATION, '');
}

/** normalizeText made Chinese punctuation ASCII; put it back next to Chinese so stored items read naturally. */
function restorePunctuation(text: string): string {
  return text.replace(/(?<=\p{Script=Han})[,;:!?]|[,;:!?](?=\p{Script=Han})/gu, (ch) => FULL_WIDTH[ch] ?? ch);
}

function cutText(raw: string): string {
  const text = restorePunctuation(raw);
  return text.length > MAX_ITEM_CHARS ? `${text.slice(0, MAX_ITEM_CHARS - 1)}…` : text;
}
