/** Intake (点单) parsing: category, urgency, wanted time, phone and address from a resident's free text. */
import type { CategoryCode } from '../../../directory/index.js';
import { classifyCategory, matchText } from './classify.js';
import { extractWhen } from './when.js';
import { TERMS, type Term } from './lexicon.js';

export { withCatalogueWords, type Term } from './lexicon.js';

export { classifyCategory } from './classify.js';
export { extractWhen, type When } from './when.js';
export { extractPhone, extractAddress, maskPhone, type Address } from './contact.js';
export { normalizeText } from '../../../kernel/text.js';

export interface IntakeResult {
  category: CategoryCode | null;
  confidence: number;
  urgent: boolean;
  when: { date: string | null; time: string | null };
}

/** Explicit urgency wording that raises `urgent` even outside emergencies. */
const URGENT_WORDS = /紧急(?!呼叫|按钮|联系|情况下|时|的时候|预案|求助器|通道|避险|知识)|十万火急|火急火燎|很急|特别急|非常急|太急了|急死了|急急急|十分紧迫|马上来|赶紧来|快点来|立刻来/;

/** Parse one resident message into category, confidence, urgency and wanted time. */
export function parseIntake(text: string, now: Date, terms: readonly Term[] = TERMS): IntakeResult {
  const { category, confidence } = classifyCategory(text, terms);
  const when = extractWhen(text, now);
  const urgent = category === 'emergency' || URGENT_WORDS.test(matchText(text));
  return { category, confidence, urgent, when: { date: when.date, time: when.time } };
}
