/**
 * The directory's vocabulary, one home each: roles, rooms, the service catalogue's category codes, skills and
 * weekly availability. zod enums elsewhere are built from these const arrays.
 */

export const ROLES = ['resident', 'volunteer', 'team_lead', 'worker', 'secretary', 'building_lead'] as const;
export type Role = (typeof ROLES)[number];

export interface Person {
  id: string;
  name: string;
  role: Role;
  communityId: string | null;
  gridId: string | null;
  phone: string | null;
  address: string | null;
  building: string | null;
  lat: number | null;
  lng: number | null;
}

export interface Room {
  id: string;
  name: string;
  kind: RoomKind;
  communityId: string;
  gridId: string | null;
}

export interface Community {
  id: string;
  name: string;
  streetId: string;
  streetName: string;
  lat: number;
  lng: number;
  secretaryId: string | null;
  /** Per-feature settings blocks (checkins, orders…), each read by its feature with its own defaults. */
  settings: Record<string, unknown>;
}


export const ROOM_KINDS = ['team', 'workers', 'grid'] as const;
/** team: a volunteer team's group; workers: the secretary with the community's workers; grid: a grid worker with the building leads. */
export type RoomKind = (typeof ROOM_KINDS)[number];

export const CATEGORY_CODES = [
  'elder_companion',
  'medical_escort',
  'errand',
  'home_repair',
  'digital_help',
  'counseling',
  'legal_aid',
  'child_care',
  'cleaning',
  'disability_aid',
  'emergency',
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export function isCategoryCode(value: unknown): value is CategoryCode {
  return typeof value === 'string' && (CATEGORY_CODES as readonly string[]).includes(value);
}

/** One entry of the service catalogue (shipped as data, see src/seed/catalogue.yaml). */
export interface Category {
  code: CategoryCode;
  name: string;
  /** Skill flags a volunteer must hold to claim (e.g. legal_aid, counseling, electrical). */
  requiredSkills: string[];
  /** Skills that make a volunteer a good fit; the first is the main one. */
  skills: string[];
  /** Planned duration in hours when the resident says nothing else. */
  defaultHours: number;
}

/** Weekly availability: day 0 = Sunday … 6 = Saturday, minutes since local midnight. */
export interface AvailabilityWindow {
  day: number;
  from: number;
  to: number;
}

