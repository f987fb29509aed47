/**
 * Offer an order at an escalation level: 0 privately to the best-ranked volunteers and once in each of
 * their team rooms; 1 in every team room of the community; 2 in every team room of the street. Planning
 * reads (ranking, rooms); writing happens in the effects transaction, guarded so that each room and each
 * volunteer hears about an order once, however often it runs.
 */
import { categoryByCode, getCommunity, teamRooms, type Category } from '../directory/index.js';
import { fromLocal, toLocal } from '../kernel/shanghai-time.js';
import type { Db, Queryable } from '../platform/db.js';
import type { Outbox } from '../chat/index.js';
import { say, type OrderView } from './domain/messages.js';
import { rankVolunteers } from './domain/rank-volunteers.js';
import type { Order, RankedCandidate } from './domain/types.js';
import { findCandidates } from './candidates.js';
import { claimOrderRooms, markOfferedPrivately, saveCandidates } from './store.js';

export interface DispatchDeps {
  db: Db;
  catalogue: Category[];
  circleRadiusM: number;
  topN: number;
}

/** Candidates are looked for up to this multiple of the service circle, nearest first. */
const SEARCH_RADIUS_FACTOR = 2.5;
/** Ranked candidates kept with the order, to explain the ranking. */
const STORED_CANDIDATES = 50;
/** An emergency goes to everyone nearby at once, within reason. */
const EMERGENCY_MAX_OFFERS = 30;

export interface DispatchPlan {
  level: 0 | 1 | 2;
  ranked: RankedCandidate[];
  privately: string[];
  rooms: string[];
  privateText: string;
  roomText: string;
}

export function createDispatcher(deps: DispatchDeps) {
  /** Rank and choose, reading only. */
  async function plan(order: Order, view: OrderView, level: 0 | 1 | 2, allNearby: boolean, now: Date): Promise<DispatchPlan> {
    if (level > 0) {
      const community = await getCommunity(deps.db, order.communityId);
      const scope = level === 1 || !community ? { communityId: order.communityId } : { streetId: community.streetId };
      return { level, ranked: [], privately: [], rooms: await teamRooms(deps.db, scope), privateText: '', roomText: say.escalatedGroup(view, now) };
    }
    const category = categoryByCode(deps.catalogue, order.category);
    const local = toLocal(now);
    const candidates = await findCandidates(deps.db, {
      lat: order.lat,
      lng: order.lng,
      radiusM: deps.circleRadiusM * SEARCH_RADIUS_FACTOR,
      requiredSkills: category.requiredSkills,
      monthStart: fromLocal(local.year, local.month, 1),
    });
    const ranked = rankVolunteers(order, candidates, now, { category, circleRadiusM: deps.circleRadiusM });
    const nearby = ranked.filter((c) => c.insideCircle);
    const chosen = allNearby && nearby.length > 0 ? nearby.slice(0, EMERGENCY_MAX_OFFERS) : ranked.slice(0, deps.topN);
    const teamIds = [...new Set(chosen.map((c) => c.teamId).filter((t): t is string => t !== null))];
    let rooms = await teamRooms(deps.db, { teamIds });
    // Nobody matched nearby: the whole community's teams hear about it straight away.
    if (rooms.length === 0) rooms = await teamRooms(deps.db, { communityId: order.communityId });
    return { level, ranked, privately: chosen.map((c) => c.volunteerId), rooms, privateText: say.offerPrivate(view, now), roomText: say.offerGroup(view, now) };
  }

  /** Record the ranking and send the offers nobody has had yet, inside the caller's transaction. */
  async function write(tx: Queryable, out: Outbox, order: Order, p: DispatchPlan): Promise<void> {
    if (p.ranked.length > 0) await saveCandidates(tx, order.id, p.level, p.ranked.slice(0, STORED_CANDIDATES));
    for (const id of await markOfferedPrivately(tx, order.id, p.privately)) await out.toPerson(id, p.privateText);
    for (const room of await claimOrderRooms(tx, order.id, p.rooms, p.level)) await out.toRoom(room, p.roomText);
  }

  return { plan, write };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
