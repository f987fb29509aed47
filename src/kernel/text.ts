/** Text normalisation and Chinese numeral helpers shared by the intake parsers. */

/** Chinese numeral characters accepted wherever a number may be written in Chinese. */
export const CN_DIGITS = '零〇一二两三四五六七八九十';
/** Regex source for one number written in Arabic or Chinese numerals. */
export const NUM = `(?:[0-9]{1,4}|[${CN_DIGITS}]{1,4})`;

const DIGIT: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** Full-width ASCII → half-width, ideographic space → space, collapse runs of spaces, trim. */
export function normalizeText(text: string): string {
  let out = '';
  for (const ch of text ?? '') {
    const code = ch.charCodeAt(0);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000 || ch === '\u00a0') out += ' ';
    else out += ch;
  }
  return out.replace(/[ \t\r\n]+/g, ' ').trim();
}

/**
 * Parse an Arabic or Chinese number ("12", "十二", "二十五", "两", "二〇二六").
 * Two adjacent ascending digits ("七八", as in 七八点) read as the first one. NaN when unreadable.
 */
export function cnToInt(token: string): number {
  if (/^[0-9]+$/.test(token)) return Number(token);
  if (!token) return Number.NaN;
  if (!token.includes('十')) {
    const digits = [...token].map((c) => DIGIT[c]);
    if (digits.some((d) => d === undefined)) return Number.NaN;
    const ds = digits as number[];
    if (ds.length === 2 && ds[1] === (ds[0] as number) + 1 && ds[0] !== 0) return ds[0] as number;
    return ds.reduce((n, d) => n * 10 + d, 0);
  }
  // 十 / 十二 / 二十 / 二十五; "十一二" (11 or 12) reads as 11.
  const [tensPart, onesPart = ''] = token.split('十') as [string, string?];
  const tens = tensPart === '' ? 1 : DIGIT[tensPart];
  if (tens === undefined) return Number.NaN;
  const onesChar = onesPart.charAt(0);
  const ones = onesChar === '' ? 0 : DIGIT[onesChar];
  if (ones === undefined) return Number.NaN;
  return tens * 10 + ones;
}

/** Split text into clauses at punctuation and spaces (emergency guards look inside one clause). */
export function clauseBounds(text: string, index: number): [number, number] {
  const sep = /[,，。.!！?？;；、\s~～]/;
  let start = index;
  while (start > 0 && !sep.test(text.charAt(start - 1))) start--;
  let end = index;
  while (end < text.length && !sep.test(text.charAt(end))) end++;
  return [start, end];
}

/** Control characters (NUL above all, which PostgreSQL text cannot hold) carry nothing a person meant to say. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Drop control characters, keeping newlines and tabs.
 * @example stripControlChars('接单\u0000 123456') // '接单 123456'
 */
export function stripControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}
