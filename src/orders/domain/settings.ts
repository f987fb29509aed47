/**
 * Per-community order settings (SPEC §4.4: "times are configurable per community"): escalation minutes and
 * quiet hours, read from untrusted JSON field by field, falling back to the service-wide defaults.
 */
import type { QuietHours } from '../../kernel/quiet-hours.js';

export interface OrderSettings {
  /** Minutes after the first offer at which an order goes to the community, to the street, and becomes unclaimed. */
  escalationMinutes: [number, number, number];
  quietHours: QuietHours;
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A day: an escalation step longer than this is surely a typing mistake. */
const MAX_MINUTES = 24 * 60;

/**
 * @example readOrderSettings({ escalationMinutes: [5, 15, 30] }, defaults).escalationMinutes // [5, 15, 30]
 */
export function readOrderSettings(raw: unknown, defaults: OrderSettings): OrderSettings {
  const obj = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return { escalationMinutes: readMinutes(own(obj, 'escalationMinutes')) ?? defaults.escalationMinutes, quietHours: readQuiet(own(obj, 'quietHours')) ?? defaults.quietHours };
}

/** Three increasing positive minute counts, or null. */
export function readMinutes(raw: unknown): [number, number, number] | null {
  if (!Array.isArray(raw) || raw.length !== 3) return null;
  const [a, b, c] = raw as unknown[];
  if (![a, b, c].every((n) => typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= MAX_MINUTES)) return null;
  const m = [a, b, c] as [number, number, number];
  return m[0] < m[1] && m[1] < m[2] ? m : null;
}

function readQuiet(raw: unknown): QuietHours | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { start, end } = raw as { start?: unknown; end?: unknown };
  return typeof start === 'string' && typeof end === 'string' && HH_MM.test(start) && HH_MM.test(end) ? { start, end } : null;
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}
