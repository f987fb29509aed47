/** Category scoring: lexicon matches (longest wins), context bonuses, cheap negation, emergency override. */
import type { CategoryCode } from '../../../directory/index.js';
import { CONTEXT_RULES, TERMS, type ServiceCode, type Term } from './lexicon.js';
import { emergencyHits } from './emergency.js';
import { normalizeText } from '../../../kernel/text.js';

interface Match {
  cat: ServiceCode;
  text: string;
  start: number;
  end: number;
  weight: number;
}

/** Order used to break exact ties: the more specific services first. */
const TIE_ORDER: ServiceCode[] = [
  'disability_aid', 'legal_aid', 'medical_escort', 'digital_help', 'child_care',
  'counseling', 'home_repair', 'cleaning', 'errand', 'elder_companion',
];

/** A term right after one of these is negated ("不是要修", "不用打扫"). */
const NEGATORS = /(?:不是|不用|不要|不需要|无需|用不着|别)$/;

/** Normalised, lower-cased text used by every matcher. */
export function matchText(text: string): string {
  return normalizeText(text).toLowerCase();
}

function lexiconMatches(t: string, terms: readonly Term[]): Match[] {
  const found: Match[] = [];
  for (const term of terms) {
    let from = 0;
    for (;;) {
      const at = t.indexOf(term.text, from);
      if (at < 0) break;
      found.push({ cat: term.cat, text: term.text, start: at, end: at + term.text.length, weight: term.weight });
      from = at + 1;
    }
  }
  // Drop matches strictly inside a longer one: the compound carries the meaning.
  return found.filter(
    (m) => !found.some((o) => o !== m && o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start),
  );
}

/** Raw per-category scores (emergency included as a large number when an emergency is detected). */
export function scoreText(text: string, terms: readonly Term[] = TERMS): Record<CategoryCode, number> {
  const t = matchText(text);
  const scores = Object.fromEntries([...TIE_ORDER, 'emergency'].map((c) => [c, 0])) as Record<CategoryCode, number>;
  const seen = new Set<string>();
  for (const m of lexiconMatches(t, terms)) {
    const key = `${m.cat}:${m.text}`;
    if (seen.has(key)) continue;
    if (NEGATORS.test(t.slice(Math.max(0, m.start - 4), m.start))) continue;
    seen.add(key);
    scores[m.cat] += m.weight;
  }
  for (const rule of CONTEXT_RULES) if (rule.re.test(t)) scores[rule.cat] += rule.weight;
  const hits = emergencyHits(t);
  if (hits.length > 0) scores.emergency = 10 + 2 * hits.length;
  return scores;
}

/** Classify free text into a catalogue category with a 0..1 confidence. */
export function classifyCategory(text: string, terms: readonly Term[] = TERMS): {
  category: CategoryCode | null;
  confidence: number;
  scores: Record<string, number>;
} {
  const scores = scoreText(text, terms);
  if (scores.emergency > 0) {
    return { category: 'emergency', confidence: Math.min(0.99, 0.85 + 0.05 * (scores.emergency - 10)), scores };
  }
  const ranked = [...TIE_ORDER].sort((a, b) => scores[b] - scores[a] || TIE_ORDER.indexOf(a) - TIE_ORDER.indexOf(b));
  const top = ranked[0] as ServiceCode;
  const best = scores[top];
  if (best < 1) return { category: null, confidence: 0, scores };
  const second = scores[ranked[1] as ServiceCode];
  const margin = best / (best + second + 0.5);
  const strength = 1 - Math.exp(-best / 3);
  const confidence = Math.round(Math.min(0.98, margin * strength * 1.15) * 100) / 100;
  return { category: top, confidence, scores };
}
