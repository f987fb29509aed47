/**
 * Who hears what about an order, worded from the order as the transition left it. Reading happens here,
 * before the outbox transaction; writing is the returned list of messages.
 */
import { getPerson, staffFor } from '../directory/index.js';
import type { Db } from '../platform/db.js';
import { extractPhone, maskPhone } from './domain/intake/index.js';
import { say, volunteerIntro, type OrderView } from './domain/messages.js';
import type { NoticeKey } from './domain/order-machine.js';
import type { Order } from './domain/types.js';
import { getOrderContact, listOrderRooms } from './store.js';

export type Audience = 'resident' | 'volunteer' | 'staff' | 'candidates';
export type Notice = { to: 'person' | 'room'; id: string; text: string };

/** The messages one notify effect sends. */
export async function renderNotices(db: Db, order: Order, view: OrderView, audience: Audience, key: NoticeKey, now: Date): Promise<Notice[]> {
  const volunteer = order.volunteerId ? await getPerson(db, order.volunteerId) : null;
  switch (audience) {
    case 'resident': {
      const intro = volunteer ? volunteerIntro(volunteer.name, volunteer.phone ? maskPhone(volunteer.phone) : null) : '';
      const text = residentNotice(key, view, intro, order, now);
      return text ? [{ to: 'person', id: order.residentId, text }] : [];
    }
    case 'volunteer': {
      if (!order.volunteerId) return [];
      const text = await volunteerNotice(db, key, view, order, now);
      return text ? [{ to: 'person', id: order.volunteerId, text }] : [];
    }
    case 'staff': {
      const text = key === 'unclaimed' ? say.unclaimedStaff(view) : key === 'disputed' ? say.disputedStaff(order.no, order.rating, order.comment) : null;
      return text ? (await staffFor(db, order.communityId, order.gridId)).map((s) => ({ to: 'person' as const, id: s.id, text })) : [];
    }
    case 'candidates': {
      // One line in each team room the order was posted in, so nobody goes on trying.
      const text = key === 'cancelled' ? say.cancelledVolunteer(order.no) : say.claimedGroup(order.no, volunteer ? `${volunteer.name.slice(0, 1)}志愿者` : '志愿者');
      return (await listOrderRooms(db, order.id)).map((id) => ({ to: 'room' as const, id, text }));
    }
  }
}

function residentNotice(key: NoticeKey, view: OrderView, intro: string, order: Order, now: Date): string | null {
  switch (key) {
    case 'claimed':
    case 'assigned':
      return say.claimedResident(view, intro, now);
    case 'arrived':
      return say.arrivedResident(order.no, intro);
    case 'completed_ask_rating':
      return say.askRating(order.no, view.categoryName);
    case 'rated_thanks':
      return say.ratedThanks(order.no, order.rating ?? 5);
    case 'confirmed':
      return say.confirmedThanks(order.no);
    case 'auto_confirmed':
      return say.autoConfirmedResident(order.no);
    case 'disputed':
      return say.disputedResident(order.no);
    case 'unclaimed':
      return say.unclaimedResident(order.no);
    case 'cancelled':
      return say.cancelledResident(order.no);
    case 'released':
      return say.releasedResident(order.no);
    case 'dispute_approved':
    case 'dispute_rejected':
      return say.disputeSettledResident(order.no);
  }
}

async function volunteerNotice(db: Db, key: NoticeKey, view: OrderView, order: Order, now: Date): Promise<string | null> {
  switch (key) {
    case 'claimed':
    case 'assigned': {
      // The full address and phone go to the volunteer who holds the order, privately, and nowhere else.
      const contact = await getOrderContact(db, order.id);
      const resident = await getPerson(db, order.residentId);
      const phone = contact.phone ?? (resident?.phone ? extractPhone(resident.phone) : null);
      return say.claimedVolunteer(view, contact.address, phone, resident?.name ?? '居民', now);
    }
    case 'rated_thanks':
      return say.ratedVolunteer(order.no, order.rating ?? 5, order.hours ?? 0);
    case 'confirmed':
    case 'auto_confirmed':
      return order.hours ? say.creditedVolunteer(order.no, order.hours) : null;
    case 'dispute_approved':
      return say.disputeApprovedVolunteer(order.no, order.hours ?? 0);
    case 'dispute_rejected':
      return say.disputeRejectedVolunteer(order.no);
    case 'cancelled':
      return say.cancelledVolunteer(order.no);
    default:
      return null;
  }
}
