/**
 * Stage 5: matching for one order as the dispatcher does it — findCandidates (the store) then rankVolunteers
 * (the domain) — one order at a time from the bench, at each city size. Orders are spread like the residents,
 * with the catalogue's categories in a realistic mix (counseling and legal_aid require a skill).
 */
import { rankVolunteers } from '../src/orders/domain/rank-volunteers.js';
import { fromLocal, toLocal } from '../src/kernel/shanghai-time.js';
import type { Category, CategoryCode } from '../src/directory/types.js';
import { findCandidates } from '../src/orders/candidates.js';
import { categoryByCode } from '../src/directory/catalogue.js';
import type { Db } from '../src/platform/db.js';
import { nowMs, summarize, type Summary } from './stats.js';
import { createRandom, sampleCategory, sampleHome } from './synthetic-orders.js';

const WARMUP_ORDERS = 30;
const ORDERS = 300;
/** The dispatcher searches this multiple of the service circle (SEARCH_RADIUS_FACTOR in src/jobs/dispatch.ts). */
const SEARCH_RADIUS_FACTOR = 2.5;
const SEED = 5;
const ASAP_SHARE = 0.4;

export interface MatchingResult {
  volunteers: number;
  perOrder: Summary;
  retrieval: Summary;
  ranking: Summary;
  candidatesMean: number;
  /** Retrieval time divided by candidates returned: what one more candidate costs. */
  usPerCandidate: number;
}

export async function measureMatching(deps: { db: Db; catalogue: Category[]; circleRadiusM: number; volunteers: number }): Promise<MatchingResult> {
  const random = createRandom(SEED);
  const now = new Date();
  const local = toLocal(now);
  const monthStart = fromLocal(local.year, local.month, 1);
  const tomorrow = toLocal(new Date(now.getTime() + 24 * 3600 * 1000));
  const retrieval: number[] = [];
  const ranking: number[] = [];
  let candidates = 0;
  for (let k = 0; k < WARMUP_ORDERS + ORDERS; k++) {
    const home = sampleHome(random);
    const category = categoryByCode(deps.catalogue, sampleCategory(random) as CategoryCode);
    if (!category) throw new Error('the bench order mix names a category missing from the catalogue');
    const wantedAt = random() < ASAP_SHARE ? null : fromLocal(tomorrow.year, tomorrow.month, tomorrow.day, 9 + Math.floor(random() * 9)).toISOString();
    const order = { category: category.code, lat: home.lat, lng: home.lng, wantedAt, plannedHours: category.defaultHours, urgent: false };
    const t0 = nowMs();
    const found = await findCandidates(deps.db, {
      lat: home.lat,
      lng: home.lng,
      radiusM: deps.circleRadiusM * SEARCH_RADIUS_FACTOR,
      requiredSkills: category.requiredSkills,
      monthStart,
    });
    const t1 = nowMs();
    rankVolunteers(order, found, now, { category, circleRadiusM: deps.circleRadiusM });
    const t2 = nowMs();
    if (k < WARMUP_ORDERS) continue;
    retrieval.push(t1 - t0);
    ranking.push(t2 - t1);
    candidates += found.length;
  }
  const perOrder = retrieval.map((r, i) => r + (ranking[i] ?? 0));
  const retrievalSummary = summarize(retrieval);
  return {
    volunteers: deps.volunteers,
    perOrder: summarize(perOrder),
    retrieval: retrievalSummary,
    ranking: summarize(ranking),
    candidatesMean: candidates / ORDERS,
    usPerCandidate: candidates > 0 ? (retrievalSummary.mean * ORDERS * 1000) / candidates : Number.NaN,
  };
}
