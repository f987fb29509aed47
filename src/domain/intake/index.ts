/** Intake (点单) parsing: category, urgency, wanted time, phone and address from a resident's free text. */
import type { CategoryCode } from '../types.js';
import { classifyCategory, matchText } from './classify.js';
import { extractWhen } from './when.js';

export { classifyCategory } from './classify.js';
export { extractWhen, type When } from './when.js';
export { extractPhone, extractAddress, maskPhone, type Address } from './contact.js';
export { normalizeText } from './normalize.js';

export interface IntakeResult {
  category: CategoryCode | null;
  confidence: number;
  urgent: boolean;
  when: { date: string | null; time: string | null };
}

/** Explicit urgency wording that raises `urgent` even outside emergencies. */
const URGENT_WORDS = /紧急|十万火急|火急|很急|特别急|非常急|太急|急死|急急|急需|着急|急用|急!|立刻|立即|马上来|赶紧来|快点来|越快越好/;

/** Parse one resident message into category, confidence, urgency and wanted time. */
export function parseIntake(text: string, now: Date): IntakeResult {
  const { category, confidence } = classifyCategory(text);
  const when = extractWhen(text, now);
  const urgent = category === 'emergency' || URGENT_WORDS.test(matchText(text));
  return { category, confidence, urgent, when: { date: when.date, time: when.time } };
}
