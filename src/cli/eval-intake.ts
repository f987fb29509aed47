/**
 * Evaluate intake parsing against the dev corpora.
 * Usage: npx tsx src/cli/eval-intake.ts [corpusDir]   (default: ../shared/corpus next to the repo)
 * Exit code 1 when a target is missed: category < 90 %, emergency recall < 100 %, date/time < 85 %.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCatalogue } from '../directory/index.js';
import { extractWhen, parseIntake, withCatalogueWords } from '../orders/domain/intake/index.js';

interface IntakeCase {
  text: string;
  category: string;
  urgent: boolean;
}
interface WhenCase {
  now: string;
  text: string;
  date: string | null;
  time: string | null;
}

/** What the service understands with: the lexicon plus the catalogue's words. */
const TERMS = withCatalogueWords(loadCatalogue());
const TARGET = { category: 0.9, recall: 1, when: 0.85 };

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

const pct = (n: number, d: number): string => (d === 0 ? '  n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

function main(): number {
  const dir = path.resolve(process.argv[2] ?? path.resolve(__dirname, '../../../shared/corpus'));
  const intake = readJsonl<IntakeCase>(path.join(dir, 'intake-dev.jsonl'));
  const whenCases = readJsonl<WhenCase>(path.join(dir, 'when-dev.jsonl'));
  const now = new Date();

  const perCat = new Map<string, { n: number; ok: number }>();
  const misses: string[] = [];
  let correct = 0;
  let emerg = 0;
  let emergOk = 0;
  let falseEmerg = 0;
  for (const c of intake) {
    const got = parseIntake(c.text, now, TERMS);
    const row = perCat.get(c.category) ?? { n: 0, ok: 0 };
    row.n++;
    if (got.category === c.category) {
      row.ok++;
      correct++;
    } else {
      misses.push(`  [category] ${c.text}\n     expected ${c.category}, got ${got.category} (${got.confidence})`);
    }
    perCat.set(c.category, row);
    if (c.category === 'emergency') {
      emerg++;
      if (got.category === 'emergency' && got.urgent) emergOk++;
      else if (got.category === 'emergency') misses.push(`  [urgent] ${c.text}\n     emergency but urgent=false`);
    } else if (got.category === 'emergency' || got.urgent) {
      falseEmerg++;
      misses.push(`  [false emergency] ${c.text}\n     got ${got.category}, urgent=${got.urgent}`);
    }
  }

  let whenOk = 0;
  for (const c of whenCases) {
    const got = extractWhen(c.text, new Date(c.now));
    if (got.date === c.date && got.time === c.time) whenOk++;
    else misses.push(`  [when] ${c.text} (now ${c.now})\n     expected ${c.date} ${c.time}, got ${got.date} ${got.time}${got.asap ? ' asap' : ''}`);
  }

  console.log(`Corpus: ${dir}\n`);
  console.log('category             count  correct       %');
  for (const [cat, row] of [...perCat.entries()].sort()) {
    console.log(`${cat.padEnd(20)} ${String(row.n).padStart(5)}  ${String(row.ok).padStart(7)}  ${pct(row.ok, row.n)}`);
  }
  const catAcc = intake.length ? correct / intake.length : 1;
  const recall = emerg ? emergOk / emerg : 1;
  const whenAcc = whenCases.length ? whenOk / whenCases.length : 1;
  console.log('');
  console.log(`overall category accuracy  ${correct}/${intake.length}  ${pct(correct, intake.length)}  (target ≥ 90%)`);
  console.log(`emergency recall           ${emergOk}/${emerg}  ${pct(emergOk, emerg)}  (target 100%)`);
  console.log(`false emergencies          ${falseEmerg}/${intake.length - emerg}`);
  console.log(`date/time exact            ${whenOk}/${whenCases.length}  ${pct(whenOk, whenCases.length)}  (target ≥ 85%)`);
  if (misses.length) console.log(`\nMisses (${misses.length}):\n${misses.join('\n')}`);
  else console.log('\nNo misses.');

  const failed = catAcc < TARGET.category || recall < TARGET.recall || whenAcc < TARGET.when;
  console.log(failed ? '\nFAIL: a target was missed.' : '\nPASS: all targets met.');
  return failed ? 1 : 0;
}

process.exitCode = main();
