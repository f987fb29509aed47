import {
  coveredMinutes,
  DEFAULT_URGENT_WEIGHTS,
  DEFAULT_WEIGHTS,
  rankVolunteers,
  type RankOrder,
} from '../../../src/orders/domain/rank-volunteers.js';
import { orderWindow, overlaps } from '../../../src/kernel/time-window.js';
import type { Candidate } from '../../../src/orders/domain/types.js';
import type { Category } from '../../../src/directory/types.js';

const ORDER_AT = { lat: 37.5131, lng: 122.1204 };
/** 2026-06-04 07:00Z is Thursday 15:00 in Shanghai. */
const WANTED = '2026-06-04T07:00:00.000Z';
const NOW = new Date('2026-06-04T01:00:00.000Z');
const THURSDAY = 4;
const H = 60;
const CIRCLE_M = 1200;
/** Metres of straight line per degree of latitude; walking adds 25 %. */
const DEGREE_M = 111_195;

const repair: Category = { code: 'home_repair', name: '家居维修', requiredSkills: [], skills: ['plumbing', 'electrical', 'handyman'], defaultHours: 2 };
const legal: Category = { code: 'legal_aid', name: '法律咨询', requiredSkills: ['legal_aid'], skills: ['legal_aid', 'mediation'], defaultHours: 1 };
const errand: Category = { code: 'errand', name: '代买代办', requiredSkills: [], skills: [], defaultHours: 1 };

const order: RankOrder = { category: 'home_repair', ...ORDER_AT, wantedAt: WANTED, plannedHours: 2, urgent: false };

/** A candidate at `walkM` walking metres north of the order, free on Thursday afternoons. */
function candidate(id: string, over: Partial<Candidate> & { walkM?: number } = {}): Candidate {
  const { walkM = 400, ...rest } = over;
  return {
    id,
    name: id,
    teamId: 't1',
    skills: ['plumbing'],
    lat: ORDER_AT.lat + walkM / 1.25 / DEGREE_M,
    lng: ORDER_AT.lng,
    stationLat: null,
    stationLng: null,
    availability: [{ day: THURSDAY, from: 14 * H, to: 18 * H }],
    openOrders: [],
    completed: 0,
    noShows: 0,
    avgRating: null,
    hoursThisMonth: 0,
    partyMember: false,
    ...rest,
  };
}

function rankOne(c: Candidate, o: RankOrder = order, category: Category = repair) {
  const [first] = rankVolunteers(o, [c], NOW, { category, circleRadiusM: CIRCLE_M });
  if (!first) throw new Error('candidate was excluded');
  return first;
}

describe('rankVolunteers: skill', () => {
  it.each([
    ['main skill', repair, ['plumbing'], 1],
    ['related skill', repair, ['electrical'], 0.6],
    ['no skill of the category', repair, ['cooking'], 0.3],
    ['category with no skills: anyone fits', errand, [], 1],
    ['required flag present', legal, ['legal_aid'], 1],
  ])('%s → %d', (_name, category, skills, expected) => {
    const o = { ...order, category: category.code };
    expect(rankOne(candidate('v', { skills }), o, category).parts.skill).toBe(expected);
  });

  it('leaves out candidates missing a required flag', () => {
    const o = { ...order, category: 'legal_aid' as const };
    const ranked = rankVolunteers(o, [candidate('lawyer', { skills: ['legal_aid'] }), candidate('mediator', { skills: ['mediation'] })], NOW, {
      category: legal,
      circleRadiusM: CIRCLE_M,
    });
    expect(ranked.map((r) => r.volunteerId)).toEqual(['lawyer']);
  });

  it('refuses a category that is not the order’s', () => {
    expect(() => rankVolunteers(order, [], NOW, { category: legal, circleRadiusM: CIRCLE_M })).toThrow(/does not match/);
  });
});

describe('rankVolunteers: distance', () => {
  it.each([
    ['next door', 0, true, 1, 1],
    ['600 m walk', 600, true, 0.89, 0.91],
    ['at the circle edge', 1199, true, 0.8, 0.801],
    ['just outside', 1300, false, 0.6, 0.8],
    ['3 km walk is near zero', 3000, false, 0, 0.05],
    ['10 km walk', 10_000, false, 0, 0.001],
  ])('%s', (_name, walkM, inside, min, max) => {
    const r = rankOne(candidate('v', { walkM }));
    expect(r.insideCircle).toBe(inside);
    expect(r.distanceM).toBeCloseTo(walkM, -1);
    expect(r.parts.distance).toBeGreaterThanOrEqual(min);
    expect(r.parts.distance).toBeLessThanOrEqual(max);
  });

  it('a volunteer whose station circle covers the order counts as inside, even living farther away', () => {
    const far = candidate('v', { walkM: 2500, stationLat: ORDER_AT.lat + 0.003, stationLng: ORDER_AT.lng });
    const r = rankOne(far);
    expect(r.insideCircle).toBe(true);
    expect(r.parts.distance).toBe(0.8);
  });

  it('a station too far away does not help', () => {
    expect(rankOne(candidate('v', { walkM: 2500, stationLat: ORDER_AT.lat + 0.05, stationLng: ORDER_AT.lng })).insideCircle).toBe(false);
  });
});

describe('rankVolunteers: availability (Shanghai local time)', () => {
  const thu = (from: number, to: number) => ({ day: THURSDAY, from: from * H, to: to * H });
  it.each([
    ['window covers 15:00–17:00', [thu(14, 18)], [], 1],
    ['window exactly the service', [thu(15, 17)], [], 1],
    ['two adjacent windows chain', [thu(14, 16), thu(16, 18)], [], 1],
    ['window ends mid-service', [thu(14, 16)], [], 0.4],
    ['window on another weekday', [{ day: 3, from: 14 * H, to: 18 * H }], [], 0],
    ['morning only', [thu(8, 12)], [], 0],
    ['no windows given: neutral', [], [], 0.5],
    ['overlapping open order', [thu(14, 18)], [{ start: '2026-06-04T08:00:00Z', end: '2026-06-04T10:00:00Z' }], 0],
    ['back-to-back open order does not collide', [thu(14, 18)], [{ start: '2026-06-04T05:00:00Z', end: '2026-06-04T07:00:00Z' }], 1],
    ['open order another day', [thu(14, 18)], [{ start: '2026-06-05T07:00:00Z', end: '2026-06-05T09:00:00Z' }], 1],
  ])('%s → %d', (_name, availability, openOrders, expected) => {
    expect(rankOne(candidate('v', { availability, openOrders })).parts.availability).toBe(expected);
  });

  it('uses now when the order is wanted as soon as possible', () => {
    // NOW is Thursday 09:00 in Shanghai.
    const asap = { ...order, wantedAt: null };
    expect(rankOne(candidate('v', { availability: [thu(8, 12)] }), asap).parts.availability).toBe(1);
    expect(rankOne(candidate('v', { availability: [thu(14, 18)] }), asap).parts.availability).toBe(0);
  });

  it('follows a service across midnight into the next day', () => {
    const late = { ...order, wantedAt: '2026-06-04T15:00:00Z' }; // Thursday 23:00
    const both = [thu(22, 24), { day: 5, from: 0, to: 2 * H }];
    expect(rankOne(candidate('v', { availability: both }), late).parts.availability).toBe(1);
    expect(rankOne(candidate('v', { availability: [thu(22, 24)] }), late).parts.availability).toBe(0.4);
  });

  it('wraps Saturday into Sunday', () => {
    expect(coveredMinutes([{ day: 6, from: 23 * H, to: 24 * H }, { day: 0, from: 0, to: H }], 6, 23 * H + 30, 60)).toBe(90);
  });
});

describe('rankVolunteers: load, reliability, fairness', () => {
  it.each([
    [0, 1],
    [1, 0.5],
    [3, 0.25],
  ])('%d open orders → load %d', (n, expected) => {
    const openOrders = Array.from({ length: n }, (_, i) => ({ start: `2026-07-0${i + 1}T00:00:00Z`, end: `2026-07-0${i + 1}T01:00:00Z` }));
    expect(rankOne(candidate('v', { openOrders })).parts.load).toBeCloseTo(expected, 10);
  });

  it.each([
    ['newcomer is neutral', { completed: 0, noShows: 0, avgRating: null }, 0.5, 0.5],
    ['steady and well rated', { completed: 20, noShows: 0, avgRating: 4.8 }, 0.9, 1],
    ['often absent', { completed: 2, noShows: 6, avgRating: 3 }, 0, 0.4],
    ['badly rated', { completed: 10, noShows: 0, avgRating: 1 }, 0.5, 0.6],
  ])('%s', (_name, record, min, max) => {
    const r = rankOne(candidate('v', record)).parts.reliability;
    expect(r).toBeGreaterThanOrEqual(min);
    expect(r).toBeLessThanOrEqual(max);
  });

  it.each([
    ['no hours, not a party member', 0, false, 0.8],
    ['no hours, party member: invited first', 0, true, 1],
    ['8 hours halves the share', 8, false, 0.4],
    ['party member who already served gets no bonus', 8, true, 0.4],
  ])('%s', (_name, hoursThisMonth, partyMember, expected) => {
    expect(rankOne(candidate('v', { hoursThisMonth, partyMember })).parts.fairness).toBeCloseTo(expected, 10);
  });
});

describe('rankVolunteers: score and order', () => {
  it('the score is the weighted sum of the parts', () => {
    const r = rankOne(candidate('v', { walkM: 700, completed: 3, avgRating: 4, hoursThisMonth: 5 }));
    const w = DEFAULT_WEIGHTS;
    const p = r.parts;
    const sum = w.skill * p.skill + w.distance * p.distance + w.availability * p.availability + w.load * p.load + w.reliability * p.reliability + w.fairness * p.fairness;
    expect(r.score).toBeCloseTo(sum, 12);
    expect(Object.values(DEFAULT_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('sorts by score, then distance, then id', () => {
    const ranked = rankVolunteers(
      order,
      [
        candidate('c', { walkM: 500 }),
        candidate('b', { walkM: 500 }),
        candidate('far', { walkM: 5000 }),
        candidate('a', { walkM: 500 }),
        candidate('busy', { walkM: 500, openOrders: [{ start: WANTED, end: '2026-06-04T08:00:00Z' }] }),
      ],
      NOW,
      { category: repair, circleRadiusM: CIRCLE_M },
    );
    // Someone already busy at that time cannot take it at all; someone 5 km away still could.
    expect(ranked.map((r) => r.volunteerId)).toEqual(['a', 'b', 'c', 'far', 'busy']);
  });

  it('breaks equal scores by distance', () => {
    // With distance weighted 0 both score the same; the nearer one still comes first.
    const ranked = rankVolunteers(order, [candidate('x', { walkM: 900 }), candidate('y', { walkM: 300 })], NOW, {
      category: repair,
      circleRadiusM: CIRCLE_M,
      weights: { distance: 0 },
    });
    expect(ranked.map((r) => r.volunteerId)).toEqual(['y', 'x']);
    expect(ranked[0]!.score).toBe(ranked[1]!.score);
  });

  it('custom weights are normalised so scores stay within 0..1', () => {
    const ranked = rankVolunteers(order, [candidate('v', { walkM: 0, completed: 50, avgRating: 5, partyMember: true })], NOW, {
      category: repair,
      circleRadiusM: CIRCLE_M,
      weights: { skill: 10, distance: 10 },
    });
    expect(ranked[0]!.score).toBeGreaterThan(0.9);
    expect(ranked[0]!.score).toBeLessThanOrEqual(1);
  });

  it('refuses a negative weight', () => {
    expect(() => rankVolunteers(order, [], NOW, { category: repair, circleRadiusM: CIRCLE_M, weights: { load: -1 } })).toThrow(/weight load/);
  });

  it('urgent orders favour the nearest volunteer over fairness', () => {
    const near = candidate('near', { walkM: 200, hoursThisMonth: 30 });
    const fair = candidate('fair', { walkM: 1100, hoursThisMonth: 0, partyMember: true });
    const pick = (urgent: boolean) => rankVolunteers({ ...order, urgent }, [near, fair], NOW, { category: repair, circleRadiusM: CIRCLE_M })[0]!.volunteerId;
    expect(pick(false)).toBe('fair');
    expect(pick(true)).toBe('near');
    expect(DEFAULT_URGENT_WEIGHTS.fairness).toBe(0);
  });

  it('returns the explanation with each result', () => {
    expect(rankOne(candidate('v'))).toEqual({
      volunteerId: 'v',
      teamId: 't1',
      score: expect.any(Number),
      parts: { skill: 1, distance: expect.any(Number), availability: 1, load: 1, reliability: 0.5, fairness: 0.8 },
      distanceM: expect.any(Number),
      insideCircle: true,
    });
  });

  it('ranks ten thousand candidates quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      candidate(`v${i}`, {
        walkM: (i * 37) % 6000,
        skills: i % 3 === 0 ? ['electrical'] : ['plumbing'],
        openOrders: i % 5 === 0 ? [{ start: '2026-06-04T08:00:00Z', end: '2026-06-04T09:00:00Z' }] : [],
        hoursThisMonth: i % 20,
      }),
    );
    const started = performance.now();
    const ranked = rankVolunteers(order, many, NOW, { category: repair, circleRadiusM: CIRCLE_M });
    // Generous bound for a shared CI machine; typically ~10 ms.
    expect(performance.now() - started).toBeLessThan(500);
    expect(ranked).toHaveLength(10_000);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
  });
});

describe('overlaps and orderWindow (shared with the claim check)', () => {
  const t = (hhmm: string) => new Date(`2026-06-04T${hhmm}:00Z`);
  it.each([
    ['inside', '02:00', '04:00', '02:30', '03:00', true],
    ['partly', '02:00', '04:00', '03:00', '05:00', true],
    ['same window', '02:00', '04:00', '02:00', '04:00', true],
    ['back to back', '02:00', '04:00', '04:00', '05:00', false],
    ['apart', '02:00', '03:00', '04:00', '05:00', false],
  ])('%s → %s', (_name, a1, a2, b1, b2, expected) => {
    expect(overlaps(t(a1), t(a2), t(b1), t(b2))).toBe(expected);
    expect(overlaps(t(b1), t(b2), t(a1), t(a2))).toBe(expected);
    expect(overlaps(t(a1).getTime(), t(a2).getTime(), t(b1).getTime(), t(b2).getTime())).toBe(expected);
  });

  it.each([
    ['wanted time and planned hours', '2026-06-04T07:00:00Z', 2, '2026-06-04T07:00:00.000Z', '2026-06-04T09:00:00.000Z'],
    ['as soon as possible starts now', null, 1.5, '2026-06-04T01:00:00.000Z', '2026-06-04T02:30:00.000Z'],
    ['zero hours still takes a quarter of an hour', '2026-06-04T07:00:00Z', 0, '2026-06-04T07:00:00.000Z', '2026-06-04T07:15:00.000Z'],
  ])('%s', (_name, wantedAt, hours, start, end) => {
    const w = orderWindow(wantedAt, hours, NOW);
    expect([w.start.toISOString(), w.end.toISOString()]).toEqual([start, end]);
  });

  it('refuses an unreadable wanted time', () => {
    expect(() => orderWindow('next tuesday', 1, NOW)).toThrow(/not a valid instant/);
  });
});
