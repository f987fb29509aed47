/**
 * Matching (SPEC §4.3): rank volunteers for an order and explain each score by its parts.
 * Linear in the candidates plus one sort; per candidate it allocates only its result.
 */
import { haversineMeters, WALKING_DETOUR_FACTOR } from '../../kernel/geo.js';
import { orderWindow } from '../../kernel/time-window.js';
import { localMinuteOfDay, toLocal } from '../../kernel/shanghai-time.js';
import type { Candidate, Order, RankedCandidate, ScoreParts } from './types.js';
import type { AvailabilityWindow, Category } from '../../directory/index.js';

export type RankOrder = Pick<Order, 'category' | 'lat' | 'lng' | 'wantedAt' | 'plannedHours' | 'urgent'>;
export type ScoreWeights = Record<keyof ScoreParts, number>;

export interface RankOptions {
  category: Category;
  /** Radius of the 15-minute service circle in walking metres (SPEC §2 default 1200). */
  circleRadiusM: number;
  /** Overrides of the default weights (of `DEFAULT_URGENT_WEIGHTS` for urgent orders). */
  weights?: Partial<ScoreWeights>;
}

/** Everyday weights: a good fit nearby who is free comes first; load, track record and fairness break near-ties. */
export const DEFAULT_WEIGHTS: Readonly<ScoreWeights> = {
  skill: 0.25,
  distance: 0.25,
  availability: 0.2,
  load: 0.1,
  reliability: 0.1,
  fairness: 0.1,
};

/** Urgent orders: whoever is closest matters most, and spreading the work around does not matter at all. */
export const DEFAULT_URGENT_WEIGHTS: Readonly<ScoreWeights> = {
  skill: 0.25,
  distance: 0.4,
  availability: 0.15,
  load: 0.1,
  reliability: 0.1,
  fairness: 0,
};

/** Holds a related (non-main) skill of the category. */
export const RELATED_SKILL_SCORE = 0.6;
/** Holds none of the category's skills but nothing required is missing: anyone can carry shopping. */
export const GENERAL_SKILL_SCORE = 0.3;
/** Inside a service circle scores between this floor and 1; outside starts below it and decays. */
export const CIRCLE_FLOOR_SCORE = 0.8;
/** Outside the circle the distance score falls by e every this many walking metres: ≈ 0.04 at 3 km with a 1.2 km circle. */
export const DISTANCE_DECAY_M = 600;
/** The volunteer gave no weekly availability: we do not know, so neither reward nor punish. */
export const UNKNOWN_AVAILABILITY_SCORE = 0.5;
/** The wanted start is inside a window but the planned duration runs past it. */
export const PARTIAL_AVAILABILITY_SCORE = 0.4;
/** Share of reliability from the completion record; the rest comes from ratings. */
export const COMPLETION_SHARE = 0.6;
/** A newcomer's unknown rating counts as the middle of the scale. */
export const NEUTRAL_RATING_SCORE = 0.5;
/** Hours this month at which the fairness curve halves. */
export const FAIRNESS_HALF_HOURS = 8;
/** Part of the fairness score everyone can earn; the rest is the bonus for party members yet to serve this month. */
export const FAIRNESS_BASE_SHARE = 0.8;
export const PARTY_MEMBER_BONUS = 1 - FAIRNESS_BASE_SHARE;

const MINUTES_PER_DAY = 24 * 60;
const DAYS_PER_WEEK = 7;
const MINUTE_MS = 60 * 1000;

/** The wanted time as local weekday/minute and the span to cover; computed once per order. */
interface WantedSlot {
  startMs: number;
  endMs: number;
  weekday: number;
  minute: number;
  durationMin: number;
}

/**
 * Rank candidates for an order, best first (score desc, then walking distance asc, then id asc).
 * Candidates missing a skill flag the category requires are left out.
 * @example rankVolunteers(order, candidates, now, { category, circleRadiusM: 1200 })[0] // { volunteerId: 'v7', score: 0.91, parts: {…}, distanceM: 420, insideCircle: true, … }
 */
export function rankVolunteers(order: RankOrder, candidates: Candidate[], now: Date, opts: RankOptions): RankedCandidate[] {
  if (opts.category.code !== order.category) {
    throw new RangeError(`rankVolunteers: category ${opts.category.code} does not match the order's ${order.category}`);
  }
  const weights = resolveWeights(order.urgent, opts.weights);
  const slot = computeWantedSlot(order, now);
  const radiusM = opts.circleRadiusM;
  const results: RankedCandidate[] = [];

  for (const candidate of candidates) {
    const skill = scoreSkill(candidate.skills, opts.category);
    if (skill === 0) continue;
    const distanceM = haversineMeters(candidate.lat, candidate.lng, order.lat, order.lng) * WALKING_DETOUR_FACTOR;
    const insideCircle = distanceM <= radiusM || isOrderInStationCircle(candidate, order, radiusM);
    const parts: ScoreParts = {
      skill,
      distance: scoreDistance(distanceM, insideCircle, radiusM),
      availability: scoreAvailability(candidate, slot),
      load: scoreLoad(candidate.openOrders.length),
      reliability: scoreReliability(candidate),
      fairness: scoreFairness(candidate.hoursThisMonth, candidate.partyMember),
    };
    results.push({ volunteerId: candidate.id, teamId: candidate.teamId, score: weighParts(parts, weights), parts, distanceM, insideCircle });
  }
  return results.sort(compareRanked);
}

function resolveWeights(urgent: boolean, overrides: Partial<ScoreWeights> | undefined): ScoreWeights {
  const merged = { ...(urgent ? DEFAULT_URGENT_WEIGHTS : DEFAULT_WEIGHTS) };
  let total = 0;
  for (const key of Object.keys(merged) as (keyof ScoreWeights)[]) {
    // An override given as undefined (e.g. from optional config) keeps the default.
    const w = overrides?.[key] ?? merged[key];
    merged[key] = w;
    if (!Number.isFinite(w) || w < 0) throw new RangeError(`rankVolunteers: weight ${key} must be a finite number ≥ 0, got ${w}`);
    total += w;
  }
  // Normalising keeps every score in 0..1 whatever the overrides add up to, so stored scores stay comparable.
  if (total > 0) for (const key of Object.keys(merged) as (keyof ScoreWeights)[]) merged[key] /= total;
  return merged;
}

function computeWantedSlot(order: RankOrder, now: Date): WantedSlot {
  const window = orderWindow(order.wantedAt, order.plannedHours, now);
  const startMs = window.start.getTime();
  const endMs = window.end.getTime();
  return {
    startMs,
    endMs,
    weekday: toLocal(window.start).weekday,
    minute: localMinuteOfDay(window.start),
    durationMin: Math.ceil((endMs - startMs) / MINUTE_MS),
  };
}

/** 0 when a required flag is missing (excluded), else 1 main skill, partial for a related one. */
export function scoreSkill(skills: readonly string[], category: Category): number {
  for (const required of category.requiredSkills) if (!skills.includes(required)) return 0;
  if (category.skills.length === 0) return 1;
  if (skills.includes(category.skills[0] as string)) return 1;
  for (let i = 1; i < category.skills.length; i++) if (skills.includes(category.skills[i] as string)) return RELATED_SKILL_SCORE;
  return GENERAL_SKILL_SCORE;
}

function isOrderInStationCircle(candidate: Candidate, order: RankOrder, radiusM: number): boolean {
  if (candidate.stationLat === null || candidate.stationLng === null) return false;
  return haversineMeters(candidate.stationLat, candidate.stationLng, order.lat, order.lng) * WALKING_DETOUR_FACTOR <= radiusM;
}

/** In the circle: CIRCLE_FLOOR..1, nearer is better. Outside: decays from the floor beyond the circle's edge. */
export function scoreDistance(walkM: number, insideCircle: boolean, radiusM: number): number {
  if (insideCircle) return CIRCLE_FLOOR_SCORE + (1 - CIRCLE_FLOOR_SCORE) * Math.max(0, 1 - walkM / Math.max(radiusM, 1));
  return CIRCLE_FLOOR_SCORE * Math.exp(-Math.max(0, walkM - radiusM) / DISTANCE_DECAY_M);
}

function scoreAvailability(candidate: Candidate, slot: WantedSlot): number {
  for (const held of candidate.openOrders) {
    // Date.parse returns a number, so checking a busy volunteer allocates nothing.
    if (Date.parse(held.start) < slot.endMs && slot.startMs < Date.parse(held.end)) return 0;
  }
  if (candidate.availability.length === 0) return UNKNOWN_AVAILABILITY_SCORE;
  const covered = coveredMinutes(candidate.availability, slot.weekday, slot.minute, slot.durationMin);
  if (covered >= slot.durationMin) return 1;
  return covered > 0 ? PARTIAL_AVAILABILITY_SCORE : 0;
}

/**
 * How many minutes from (weekday, minute) on are covered without a gap by the weekly windows,
 * following adjacent windows and across midnight, up to `wanted`.
 */
export function coveredMinutes(windows: readonly AvailabilityWindow[], weekday: number, minute: number, wanted: number): number {
  let day = weekday;
  let cursor = minute;
  let covered = 0;
  // Each step consumes at least one window; a week of windows can be chained at most windows.length + 1 times.
  for (let step = 0; step <= windows.length; step++) {
    let reach = -1;
    for (const w of windows) {
      if (w.day === day && w.from <= cursor && w.to > cursor && w.to > reach) reach = w.to;
    }
    if (reach < 0) return covered;
    covered += Math.min(reach, MINUTES_PER_DAY) - cursor;
    if (covered >= wanted) return covered;
    cursor = reach;
    if (cursor >= MINUTES_PER_DAY) {
      day = (day + 1) % DAYS_PER_WEEK;
      cursor = 0;
    }
  }
  return covered;
}

/** 1 with nothing open, ½ with one, ⅓ with two… */
export function scoreLoad(openOrders: number): number {
  return 1 / (1 + openOrders);
}

/** Laplace-smoothed completion rate blended with the mean rating; a newcomer lands exactly in the middle (0.5). */
export function scoreReliability(c: Pick<Candidate, 'completed' | 'noShows' | 'avgRating'>): number {
  const completion = (c.completed + 1) / (c.completed + c.noShows + 2);
  const rating = c.avgRating === null ? NEUTRAL_RATING_SCORE : Math.min(1, Math.max(0, (c.avgRating - 1) / 4));
  return COMPLETION_SHARE * completion + (1 - COMPLETION_SHARE) * rating;
}

/** Fewer hours this month scores higher; a party member who has not served this month gets the bonus on top. */
export function scoreFairness(hoursThisMonth: number, partyMember: boolean): number {
  const hours = Math.max(0, hoursThisMonth);
  const base = FAIRNESS_BASE_SHARE / (1 + hours / FAIRNESS_HALF_HOURS);
  return partyMember && hours === 0 ? base + PARTY_MEMBER_BONUS : base;
}

function weighParts(p: ScoreParts, w: ScoreWeights): number {
  return (
    w.skill * p.skill +
    w.distance * p.distance +
    w.availability * p.availability +
    w.load * p.load +
    w.reliability * p.reliability +
    w.fairness * p.fairness
  );
}

function compareRanked(a: RankedCandidate, b: RankedCandidate): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.distanceM !== b.distanceM) return a.distanceM - b.distanceM;
  return a.volunteerId < b.volunteerId ? -1 : a.volunteerId > b.volunteerId ? 1 : 0;
}
