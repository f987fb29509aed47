/** Phone numbers and building addresses in resident messages. */
import { cnToInt, normalizeText } from '../../../kernel/text.js';

/** First Chinese mobile (11 digits, +86 and spaces/dashes tolerated) or landline (0631-5201234) in the text. */
export function extractPhone(text: string): string | null {
  const t = normalizeText(text);
  const mobile = /(?<![\d])(?:\+?\s*86[\s-]?)?(1[3-9](?:[\s-]?\d){9})(?![\d])/.exec(t);
  if (mobile) return (mobile[1] ?? '').replace(/\D/g, '');
  const land = /(?<![\d])\(?(0\d{2,3})\)?[\s-]?([2-9]\d{6,7})(?![\d])/.exec(t);
  if (land) return `${land[1]}-${land[2]}`;
  return null;
}

/** Mask the middle of a phone number: 13812345678 → 138****5678, 0631-5201234 → 0631-***1234. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const mobile = /^(?:86)?(1[3-9]\d{9})$/.exec(digits);
  if (mobile) {
    const m = mobile[1] ?? '';
    return `${m.slice(0, 3)}****${m.slice(7)}`;
  }
  const land = /^(0\d{2,3})-(\d+)$/.exec(phone.trim());
  if (land) {
    const local = land[2] ?? '';
    return `${land[1]}-${'*'.repeat(Math.max(0, local.length - 4))}${local.slice(-4)}`;
  }
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const keep = Math.min(3, digits.length - 4);
  return `${digits.slice(0, keep)}${'*'.repeat(digits.length - keep - 4)}${digits.slice(-4)}`;
}

/** A building address inside a community. */
export interface Address {
  building: string;
  unit: string | null;
  room: string | null;
  text: string;
}

const N = '(?:[0-9]{1,3}|[零〇一二两三四五六七八九十]{1,4})';

function num(token: string): string {
  if (/^[A-Za-z]$/.test(token)) return token.toUpperCase();
  const n = cnToInt(token);
  return Number.isFinite(n) ? String(n) : token;
}

function build(building: string, unit: string | null, room: string | null): Address {
  const head = /^[A-Z]$/.test(building) ? `${building}座` : `${building}号楼`;
  const text = `${head}${unit ? `${unit}单元` : ''}${room ?? ''}`;
  return { building, unit, room, text };
}

/** Building / unit / room such as 3号楼2单元301, 5栋1单元502室, 三号楼401, 3-2-301. */
export function extractAddress(text: string): Address | null {
  const t = normalizeText(text);
  const re = new RegExp(
    `(${N}|[A-Za-z])\\s*(?:号楼|号樓|栋|棟|幢|座|楼(?=\\s*${N}\\s*单元))` +
      `(?:\\s*[-—]?\\s*(${N})\\s*(?:单元|门(?!口)))?` +
      `(?:\\s*[-—]?\\s*(\\d{3,4}|[零〇一二三四五六七八九]{3,4}|${N}(?=\\s*[室号房]))\\s*(?:室|号|房)?)?`,
  );
  const m = re.exec(t);
  if (m) {
    const room = m[3] ? num(m[3]) : null;
    return build(num(m[1] ?? ''), m[2] ? num(m[2]) : null, room);
  }
  const dash = /(?<![\d-])(\d{1,3})-(\d{1,2})-(\d{3,4})(?![\d-])/.exec(t);
  if (dash) return build(dash[1] ?? '', dash[2] ?? '', dash[3] ?? '');
  return null;
}
