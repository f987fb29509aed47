/** The order's vocabulary. Pure data: no IO, no clocks. */
import type { AvailabilityWindow, CategoryCode } from '../../directory/index.js';


export type OrderStatus =
  | 'submitted'
  | 'offered'
  | 'claimed'
  | 'in_service'
  | 'done'
  | 'confirmed'
  | 'rated'
  | 'cancelled'
  | 'unclaimed'
  | 'disputed';

/** Statuses in which an order still needs someone to act; its number is unique among these. */
export const OPEN_STATUSES: readonly OrderStatus[] = [
  'submitted',
  'offered',
  'claimed',
  'in_service',
  'done',
  'unclaimed',
  'disputed',
];

/** Escalation levels: 0 first offer to the nearest teams, 1 all teams of the community, 2 the street's teams, 3 unclaimed. */
export type EscalationLevel = 0 | 1 | 2 | 3;

export interface Order {
  id: string;
  /** Short number shown to people, ≤ 6 digits, unique among open orders. */
  no: string;
  residentId: string;
  /** Who placed it: the resident, or a worker ordering on their behalf (代点单). */
  createdBy: string;
  communityId: string;
  gridId: string | null;
  category: CategoryCode;
  description: string;
  urgent: boolean;
  /** Wanted start, ISO instant; null means "as soon as possible". */
  wantedAt: string | null;
  plannedHours: number;
  /** Where, for matching: coordinates of the building or the community centre. */
  lat: number;
  lng: number;
  /** Shown in group posts: community + building area, never the house number. */
  area: string;
  status: OrderStatus;
  escalationLevel: EscalationLevel;
  volunteerId: string | null;
  hours: number | null;
  rating: number | null;
  comment: string | null;
  autoConfirmed: boolean;
  /** Hours are in the volunteer's time bank (and a dispute settled against them reverses them). */
  credited: boolean;
  version: number;
}

/** What matching knows about a volunteer; assembled by the store, judged by the domain. */
export interface Candidate {
  id: string;
  name: string;
  teamId: string | null;
  skills: string[];
  lat: number;
  lng: number;
  /** Coordinates of the volunteer's home station (for the 15-minute circle), if any. */
  stationLat: number | null;
  stationLng: number | null;
  availability: AvailabilityWindow[];
  /** Open orders this volunteer holds, as [start, end] ISO instants. */
  openOrders: { start: string; end: string }[];
  completed: number;
  noShows: number;
  /** Mean rating 1–5, null when never rated. */
  avgRating: number | null;
  hoursThisMonth: number;
  partyMember: boolean;
}

export interface ScoreParts {
  skill: number;
  distance: number;
  availability: number;
  load: number;
  reliability: number;
  fairness: number;
}

export interface RankedCandidate {
  volunteerId: string;
  teamId: string | null;
  score: number;
  parts: ScoreParts;
  distanceM: number;
  insideCircle: boolean;
}
