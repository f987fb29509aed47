/** The results as one JSON document, the goals they are held to, and the table printed at the end. */
import type { BullmqResult } from './stage-bullmq.js';
import type { ClaimsResult, StormResult } from './stage-claims.js';
import type { DispatchResult } from './stage-dispatch.js';
import type { IngestResult } from './stage-ingest.js';
import type { MatchingResult } from './stage-matching.js';
import { formatMb, formatMs, formatRate, formatRatio, formatTable } from './format.js';

export interface MemoryResult {
  idleRss: number;
  afterDispatchRss: number;
  /** Share of one core the service used during the dispatch stage. */
  dispatchCpuShare: number;
}

export interface BenchResults {
  startedAt: string;
  wallSeconds: number;
  machine: { cpus: number; memoryMb: number; node: string; postgres: string; redis: string };
  bullmq: BullmqResult;
  dispatch: DispatchResult;
  ingest: IngestResult;
  claims: ClaimsResult;
  matching: MatchingResult[];
  memory: MemoryResult;
  notes: string[];
}

export interface Goal {
  name: string;
  target: string;
  actual: string;
  met: boolean;
}

const DISPATCH_RATIO_GOAL = 10;
const INGEST_RATIO_GOAL = 0.4;
const MATCHING_MS_GOAL_100K = 2;
const MATCHING_GROWTH_GOAL = 2;
const WALL_SECONDS_GOAL = 300;

const matchingAt = (r: BenchResults, volunteers: number) => r.matching.find((m) => m.volunteers === volunteers);

export function checkGoals(r: BenchResults): Goal[] {
  const dispatchRatio = r.dispatch.latency.p99 / r.bullmq.steady.p99;
  const m100k = matchingAt(r, 100_000);
  const m1m = matchingAt(r, 1_000_000);
  const growth = m1m && m100k ? m1m.perOrder.mean / m100k.perOrder.mean : Number.NaN;
  const storm = (s: StormResult) => `${s.winners}/${s.orders} winners, ${s.doubleWins} double`;
  return [
    { name: 'dispatch p99 ÷ BullMQ p99', target: `≤ ${DISPATCH_RATIO_GOAL}×`, actual: formatRatio(dispatchRatio), met: dispatchRatio <= DISPATCH_RATIO_GOAL && r.dispatch.undelivered === 0 },
    { name: 'ingest ÷ Koa hello-world', target: `≥ ${INGEST_RATIO_GOAL}×`, actual: formatRatio(r.ingest.ratio), met: r.ingest.ratio >= INGEST_RATIO_GOAL },
    { name: 'claim storm 1,000 → 1 order', target: '1/1 winners', actual: storm(r.claims.single), met: isClean(r.claims.single) },
    { name: 'claim storm 1,000 orders × 10', target: '1000/1000 winners', actual: storm(r.claims.many), met: isClean(r.claims.many) },
    { name: 'matching per order at 100k', target: `≤ ${MATCHING_MS_GOAL_100K} ms`, actual: formatMs(m100k?.perOrder.mean ?? Number.NaN), met: (m100k?.perOrder.mean ?? Infinity) <= MATCHING_MS_GOAL_100K },
    { name: 'matching 1M ÷ 100k', target: `≤ ${MATCHING_GROWTH_GOAL}×`, actual: formatRatio(growth), met: growth <= MATCHING_GROWTH_GOAL },
    { name: 'whole bench', target: `< ${WALL_SECONDS_GOAL} s`, actual: `${Math.round(r.wallSeconds)} s`, met: r.wallSeconds < WALL_SECONDS_GOAL },
  ];
}

function isClean(s: StormResult): boolean {
  return s.winners === s.orders && s.doubleWins === 0 && s.answers.won === s.orders && s.answers.missing === 0 && s.answers.other === 0;
}

const pair = (a: number, b: number) => `${formatMs(a)} / ${formatMs(b)}`;

/** One row per figure: what, the figure, its same-run baseline, the ratio. */
export function formatResults(r: BenchResults, goals: Goal[]): string {
  const b = r.bullmq;
  const d = r.dispatch;
  const i = r.ingest;
  const stormRow = (label: string, s: StormResult): string[] => [
    label,
    `${s.winners}/${s.orders} winners · ${formatRate(s.perSecond, 'claims/s')} · p50/p99 ${pair(s.latency.p50, s.latency.p99)}`,
    '',
    '',
  ];
  const rows: string[][] = [
    ['1 BullMQ add→complete @ 200/s, p50 / p99', pair(b.steady.p50, b.steady.p99), '', ''],
    ['1 BullMQ drain 20,000 jobs, concurrency 10', formatRate(b.drain.perSecond, 'jobs/s'), '', ''],
    [
      `2 dispatch 「确认」→ first offer @ ${d.ratePerS}/s × ${d.seconds} s, 100k vol., p50 / p99`,
      pair(d.latency.p50, d.latency.p99),
      `BullMQ p99 ${formatMs(b.steady.p99)}`,
      formatRatio(d.latency.p99 / b.steady.p99),
    ],
    ['  orders the service got through', formatRate(d.deliveredPerS, 'orders/s'), `offered ${formatRate(d.ratePerS, 'orders/s')}`, formatRatio(d.deliveredPerS / d.ratePerS)],
    [
      '  of which: submit → offered saved / offered → first offer row (p50)',
      pair(d.parts.toOffered.p50, d.parts.matching.p50),
      '',
      '',
    ],
    [`3 ingest POST /sim/messages → stored + enqueued, ${i.clients} clients (inbound queue paused)`, formatRate(i.ingest.perSecond, 'req/s'), `Koa hello ${formatRate(i.hello.perSecond, 'req/s')}`, formatRatio(i.ratio)],
    ['  same, while the inbound worker answers them', formatRate(i.ingestWhileAnswering.perSecond, 'req/s'), `Koa hello ${formatRate(i.hello.perSecond, 'req/s')}`, formatRatio(i.ratioWhileAnswering)],
    stormRow('4 claims: 1,000 on one order', r.claims.single),
    stormRow('4 claims: 1,000 orders × 10 claimants', r.claims.many),
    ...r.matching.map((m) => {
      const base = matchingAt(r, 100_000);
      const label = m.volunteers >= 1_000_000 ? `${m.volunteers / 1_000_000}M` : `${m.volunteers / 1000}k`;
      return [
        `5 matching per order, ${label} volunteers: mean (p99) · retrieval + ranking`,
        `${formatMs(m.perOrder.mean)} (${formatMs(m.perOrder.p99)}) · ${formatMs(m.retrieval.mean)} + ${formatMs(m.ranking.mean)}, ${Math.round(m.candidatesMean)} cand.`,
        m.volunteers === 100_000 || !base ? '' : `100k ${formatMs(base.perOrder.mean)}`,
        m.volunteers === 100_000 || !base ? '' : formatRatio(m.perOrder.mean / base.perOrder.mean),
      ];
    }),
    ['6 service RSS idle / after (2), 100k volunteers', `${formatMb(r.memory.idleRss)} / ${formatMb(r.memory.afterDispatchRss)}`, '', ''],
  ];
  const table = formatTable(['figure', 'value', 'baseline (same run)', 'ratio'], rows);
  const goalTable = formatTable(
    ['goal', 'target', 'actual', 'met'],
    goals.map((g) => [g.name, g.target, g.actual, g.met ? 'yes' : 'NO']),
  );
  return `${table}\n\n${goalTable}\n`;
}
