import { say } from '../domain/messages.js';
import { rankVolunteers } from '../domain/rank-volunteers.js';
import { fromLocal, toLocal } from '../domain/shanghai-time.js';
import type { Category, Order } from '../domain/types.js';
import { findCandidates } from '../store/candidates.js';
import { categoryByCode } from '../store/catalogue.js';
import type { Db } from '../store/db.js';
import { getCommunity, teamRooms } from '../store/directory.js';
import { claimOrderRooms, markOfferedPrivately, saveCandidates } from '../store/orders.js';
import type { Notifier } from './notifier.js';
import { orderView } from './order-actions.js';

export interface DispatchDeps {
  db: Db;
  notifier: Notifier;
  catalogue: Category[];
  circleRadiusM: number;
  topN: number;
  now: () => Date;
}

/** Candidates are looked for up to this multiple of the service circle, nearest first. */
const SEARCH_RADIUS_FACTOR = 2.5;
/** Ranked candidates kept with the order, to explain the ranking. */
const STORED_CANDIDATES = 50;
/** An emergency goes to everyone nearby at once, within reason. */
const EMERGENCY_MAX_OFFERS = 30;

/**
 * Offer an order at an escalation level: 0 privately to the best-ranked volunteers and once in each of
 * their team rooms; 1 in every team room of the community; 2 in every team room of the street.
 * Each room and each volunteer hears about an order once, however often this runs.
 */
export function createDispatcher(deps: DispatchDeps) {
  return dispatch;

  async function dispatch(order: Order, level: 0 | 1 | 2, allNearby: boolean): Promise<void> {
    const now = deps.now();
    const view = orderView(deps, order);
    if (level === 0) {
      const category = categoryByCode(deps.catalogue, order.category);
      if (!category) throw new Error(`Order ${order.id} has a category missing from the catalogue: ${order.category}`);
      const local = toLocal(now);
      const candidates = await findCandidates(deps.db, {
        lat: order.lat,
        lng: order.lng,
        radiusM: deps.circleRadiusM * SEARCH_RADIUS_FACTOR,
        requiredSkills: category.requiredSkills,
        monthStart: fromLocal(local.year, local.month, 1),
      });
      const ranked = rankVolunteers(order, candidates, now, { category, circleRadiusM: deps.circleRadiusM });
      await saveCandidates(deps.db, order.id, 0, ranked.slice(0, STORED_CANDIDATES));
      const nearby = ranked.filter((c) => c.insideCircle);
      const chosen = allNearby && nearby.length > 0 ? nearby.slice(0, EMERGENCY_MAX_OFFERS) : ranked.slice(0, deps.topN);
      // Each guard and its messages commit together: after a crash and a retry, nobody hears twice or never.
      await deps.notifier.transaction(async (tx) => {
        for (const id of await markOfferedPrivately(tx.db, order.id, chosen.map((c) => c.volunteerId))) await tx.toPerson(id, say.offerPrivate(view, now));
      });
      const teamIds = [...new Set(chosen.map((c) => c.teamId).filter((t): t is string => t !== null))];
      let rooms = await teamRooms(deps.db, { teamIds });
      // Nobody matched nearby: the whole community's teams hear about it straight away.
      if (rooms.length === 0) rooms = await teamRooms(deps.db, { communityId: order.communityId });
      await postOnce(order.id, rooms, 0, say.offerGroup(view, now));
      return;
    }
    const community = await getCommunity(deps.db, order.communityId);
    const scope = level === 1 || !community ? { communityId: order.communityId } : { streetId: community.streetId };
    await postOnce(order.id, await teamRooms(deps.db, scope), level, say.escalatedGroup(view, now));
  }

  async function postOnce(orderId: string, rooms: string[], level: number, text: string): Promise<void> {
    await deps.notifier.transaction(async (tx) => {
      for (const room of await claimOrderRooms(tx.db, orderId, rooms, level)) await tx.toRoom(room, text);
    });
  }
}
