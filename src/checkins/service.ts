import type { Job, Queue } from 'bullmq';
import type { Logger } from 'pino';
import { checkinSay, dueSlots, readCheckinSettings, slotInstant, type SlotName, type Tier } from './domain/checkin.js';
import {
  claimSlotStep,
  claimSummary,
  ensureSlot,
  getAttendance,
  getSlot,
  listCheckinRooms,
  listCommunities,
} from './store.js';
import type { Db } from '../platform/db.js';
import { unrecoverable } from '../platform/queues.js';
import { listItems } from './items.js';
import type { Notifier } from '../chat/index.js';

export interface CheckinDeps {
  db: Db;
  notifier: Notifier;
  queue: Queue;
  log: Logger;
  now: () => Date;
  nudgeMinutes: number;
  summaryMinutes: number;
}

export interface FireResult {
  roomId: string;
  tier: Tier;
  slotId: string;
  prompted: boolean;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Open items listed in a summary, oldest first. */
const SUMMARY_OPEN_ITEMS = 200;

/**
 * Twice-daily check-ins. Exactly once, however many replicas: each room's slot is a database row
 * inserted once, and each step (prompt, nudge, summary) is claimed by one conditional UPDATE, so a
 * second replica or a restart finds the step taken and does nothing. The clock only says when to look.
 */
export function createCheckins(deps: CheckinDeps) {
  async function settingsOf(communityId: string) {
    const [community] = await listCommunities(deps.db, communityId);
    if (!community) return null;
    return { community, settings: readCheckinSettings((community.settings as { checkins?: unknown }).checkins) };
  }

  /** Post the prompt of a slot in every check-in room of a community (or one tier), once per room and day. */
  async function fire(communityId: string, slot: SlotName, date: string, opts: { tier?: Tier; force?: boolean } = {}): Promise<FireResult[]> {
    const found = await settingsOf(communityId);
    if (!found) return [];
    const at = slotInstant(found.settings, date, slot);
    const results: FireResult[] = [];
    for (const room of await listCheckinRooms(deps.db, communityId)) {
      if (opts.tier && room.tier !== opts.tier) continue;
      const row = await ensureSlot(deps.db, { communityId, room, date, slot, scheduledAt: at });
      const text = checkinSay.prompt(room.tier, slot, found.community.name, room.name);
      const prompted = await deps.notifier.transaction(async (tx) => {
        const claimed = await claimSlotStep(tx.db, row.id, 'prompted', opts.force === true);
        if (claimed) await tx.toRoom(room.roomId, text);
        return claimed;
      });
      if (prompted) {
        // Counted from the slot, or from now when the prompt goes out late (a catch-up, an operator's re-send).
        const start = Math.max(at.getTime(), deps.now().getTime());
        const delay = (minutes: number) => start + minutes * MINUTE_MS - deps.now().getTime();
        await deps.queue.add('nudge', { slotId: row.id }, { jobId: `ci-nudge-${row.id}`, delay: delay(deps.nudgeMinutes) });
        await deps.queue.add('summary', { communityId, date, slot }, { jobId: `ci-summary-${communityId}-${date}-${slot}`, delay: delay(deps.summaryMinutes) });
      }
      results.push({ roomId: room.roomId, tier: room.tier, slotId: row.id, prompted });
    }
    return results;
  }

  /** Every minute: fire what is due. A service that restarts within a slot's window catches up. */
  async function tick(at: Date): Promise<void> {
    for (const community of await listCommunities(deps.db)) {
      const settings = readCheckinSettings((community.settings as { checkins?: unknown }).checkins);
      for (const due of dueSlots(settings, at, deps.summaryMinutes)) {
        await fire(community.id, due.slot, due.date).catch((err: unknown) => deps.log.error({ err, community: community.id, slot: due.slot }, 'check-in prompt failed'));
      }
    }
  }

  /** One message @-mentioning everyone expected who has not answered. */
  async function nudge(slotId: string): Promise<void> {
    const slot = await getSlot(deps.db, slotId);
    if (!slot) return;
    await deps.notifier.transaction(async (tx) => {
      if (!(await claimSlotStep(tx.db, slotId, 'nudged'))) return;
      const silent = (await getAttendance(tx.db, slotId)).filter((a) => !a.answeredAt);
      if (silent.length > 0) await tx.toRoom(slot.roomId, checkinSay.nudge(silent.map((a) => a.name)), silent.map((a) => a.personId));
    });
  }

  /** The secretary's summary of a community's slot: attendance per room, new items, what is still open. */
  async function summarize(communityId: string, date: string, slot: SlotName): Promise<void> {
    const slots = await claimSummary(deps.db, communityId, date, slot);
    const found = await settingsOf(communityId);
    if (slots.length === 0 || !found?.community.secretaryId) return;
    const rooms = new Map((await listCheckinRooms(deps.db, communityId)).map((r) => [r.roomId, r]));
    const since = slots.reduce((min, s) => (s.scheduledAt < min ? s.scheduledAt : min), slots[0]!.scheduledAt);
    const tiers = [];
    for (const s of slots.sort((a, b) => (a.tier === b.tier ? a.roomId.localeCompare(b.roomId) : a.tier === 'workers' ? -1 : 1))) {
      const attendance = await getAttendance(deps.db, s.id);
      tiers.push({
        tier: s.tier,
        roomName: rooms.get(s.roomId)?.name ?? s.roomId,
        answered: attendance.filter((a) => a.answeredAt).map((a) => a.name),
        silent: attendance.filter((a) => !a.answeredAt).map((a) => a.name),
      });
    }
    const now = deps.now();
    const [needs, risks, openNeeds, openRisks] = await Promise.all([
      listItems(deps.db, { kind: 'need', community: communityId, since }),
      listItems(deps.db, { kind: 'risk', community: communityId, since }),
      listItems(deps.db, { kind: 'need', community: communityId, status: 'open', limit: SUMMARY_OPEN_ITEMS }),
      listItems(deps.db, { kind: 'risk', community: communityId, status: 'open', limit: SUMMARY_OPEN_ITEMS }),
    ]);
    const text = checkinSay.summary({
      communityName: found.community.name,
      date,
      slot,
      tiers,
      newNeeds: needs.map((i) => ({ no: i.no, text: i.text })),
      newRisks: risks.map((i) => ({ no: i.no, text: i.text, level: i.level ?? '一般' })),
      openItems: [...openNeeds, ...openRisks]
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((i) => ({ no: i.no, kind: i.kind, text: i.text, ageDays: Math.floor((now.getTime() - i.createdAt.getTime()) / DAY_MS) })),
    });
    await deps.notifier.toPerson(found.community.secretaryId, text);
  }

  async function process(job: Job<{ slotId?: string; communityId?: string; date?: string; slot?: SlotName }>): Promise<void> {
    if (job.name === 'nudge' && job.data.slotId) return nudge(job.data.slotId);
    if (job.name === 'summary' && job.data.communityId && job.data.date && job.data.slot) return summarize(job.data.communityId, job.data.date, job.data.slot);
    throw unrecoverable(`Unknown check-in job ${job.name}`);
  }

  return { fire, tick, nudge, summarize, process };
}

export type Checkins = ReturnType<typeof createCheckins>;
