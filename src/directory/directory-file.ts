/**
 * The directory file (YAML): its schema, the checks across entries, and error messages that name the offending
 * entry. Reading and validation only; `seed.ts` turns the result into rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ROLES, type Role } from './types.js';
import type { AvailabilityWindow } from './types.js';
import { skillSchema } from './catalogue.js';

/** The demo directory shipped with the code: 竹岛街道, 环翠区, Weihai. */
export const DEFAULT_DIRECTORY_FILE = path.join(__dirname, 'demo.yaml');

export { ROLES };
export type DirectoryRole = Role;

// ── Schema of the YAML file ────────────────────────────────────────────────────────────────────────────────────

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a short id: lowercase letters, digits, "-" or "_"');
const text = z.string().trim().min(1);
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);
const phone = z.string().regex(/^1[3-9]\d{9}$/, 'expected an 11-digit mobile number starting with 13–19');
const buildingNo = z.union([text, z.number().int().nonnegative()]).transform(String);
const skill = skillSchema;

const roomRef = z.strictObject({ id, name: text, extra_members: z.array(id).default([]) });

const windowObject = z
  .strictObject({ day: z.number().int().min(0).max(6), from: z.number().int().min(0).max(1440), to: z.number().int().min(0).max(1440) })
  .refine((w) => w.from < w.to, { message: 'availability window must end after it starts (from < to)' });

const availability = z.array(z.union([z.string(), windowObject])).transform((items, ctx) => {
  const out: AvailabilityWindow[] = [];
  for (const item of items) {
    if (typeof item !== 'string') {
      out.push(item);
      continue;
    }
    const parsed = parseAvailability(item);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed, input: item });
    else out.push(...parsed);
  }
  return out;
});

const history = z
  .strictObject({
    completed: z.number().int().nonnegative().default(0),
    no_shows: z.number().int().nonnegative().default(0),
    rating_sum: z.number().int().nonnegative().default(0),
    rating_count: z.number().int().nonnegative().default(0),
  })
  .refine((h) => h.rating_sum >= h.rating_count && h.rating_sum <= 5 * h.rating_count, {
    message: 'rating_sum must lie between rating_count and 5 × rating_count (ratings are 1–5 stars)',
  })
  .refine((h) => h.rating_count <= h.completed, { message: 'rating_count cannot exceed completed' });

const gridSchema = z.strictObject({
  id,
  name: text,
  worker: id.optional(),
  room: roomRef.optional(),
  buildings: z.array(z.strictObject({ no: buildingNo, lat, lng })).default([]),
});

/** A check-in slot time; 24:00 is refused because a slot belongs to the day it starts in. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time "HH:MM" between 00:00 and 23:59');
/** z.iso.date checks the calendar too (month lengths, leap years), not only the shape. */
const calendarDate = z.iso.date({ error: 'expected a real date "YYYY-MM-DD"' });
const WEEKDAY_HINT = 'expected a weekday 0–6 (0 = Sunday)';
const weekday = z.number().int().min(0, WEEKDAY_HINT).max(6, WEEKDAY_HINT);

/** Per-community check-in settings (SPEC §5); whatever is left out falls back to the defaults. */
const checkinsSchema = z
  .strictObject({
    morning: clockTime.optional(),
    evening: clockTime.optional(),
    rest_days: z.array(weekday).optional(),
    holidays: z.array(calendarDate).optional(),
  })
  .refine((c) => c.morning === undefined || c.evening === undefined || c.morning < c.evening, {
    message: 'the morning check-in must come before the evening one',
    path: ['evening'],
    // Comparing is meaningless (and the message misleading) while either time is itself malformed.
    when: (payload) => payload.issues.length === 0,
  });

/** Per-community order settings (SPEC §4.4); whatever is left out falls back to the service-wide ones (.env). */
const ordersSchema = z.strictObject({
  escalation_minutes: z
    .tuple([z.number().positive(), z.number().positive(), z.number().positive()])
    .refine(([a, b, c]) => a < b && b < c, { message: 'the three escalation times must increase: community, street, unclaimed' })
    .optional(),
  quiet_hours: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected "HH:MM-HH:MM", e.g. "22:00-07:00"')
    .optional(),
});

const communitySchema = z.strictObject({
  id,
  name: text,
  street_id: id,
  street_name: text,
  district: text,
  lat,
  lng,
  secretary: id.optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
  checkins: checkinsSchema.optional(),
  orders: ordersSchema.optional(),
  workers_room: roomRef.optional(),
  grids: z.array(gridSchema).default([]),
  stations: z.array(z.strictObject({ id, name: text, lat, lng, radius_m: z.number().positive().optional() })).default([]),
  teams: z.array(z.strictObject({ id, name: text, lead: id.optional(), room: roomRef.optional() })).default([]),
});

const personSchema = z.strictObject({
  id,
  name: text,
  role: z.enum(ROLES),
  community: id,
  phone: phone.optional(),
  address: text.optional(),
  building: buildingNo.optional(),
  lat: lat.optional(),
  lng: lng.optional(),
  party_member: z.boolean().default(false),
  in_service_party: z.boolean().default(false),
  employer: text.optional(),
  // Volunteers and team leads only:
  team: id.optional(),
  skills: z.array(skill).optional(),
  availability: availability.optional(),
  history: history.optional(),
  active: z.boolean().optional(),
});

const directoryShape = z.strictObject({ communities: z.array(communitySchema).min(1), people: z.array(personSchema) });
const directorySchema = directoryShape.superRefine(checkReferences);

export type DirectoryFile = z.output<typeof directoryShape>;
export type DirectoryCommunity = DirectoryFile['communities'][number];
export type DirectoryPerson = DirectoryFile['people'][number];

/** Volunteers and team leads serve orders; they alone have a team, skills, availability and history. */
export const isVolunteerRole = (role: DirectoryRole) => role === 'volunteer' || role === 'team_lead';

// ── Loading ────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Read and validate a directory file (YAML). Throws an Error naming the file and each offending entry.
 * @example loadDirectory().communities[0]?.id // 'dongbeicun'
 */
export function loadDirectory(file: string = DEFAULT_DIRECTORY_FILE): DirectoryFile {
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read the directory: ${(err as Error).message}`, { cause: err });
  }
  const parsed = directorySchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${describePath(raw, i.path)}: ${describeIssue(i, raw)}`);
    throw new Error(`${file}: invalid directory:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

// ── Validation across entries ──────────────────────────────────────────────────────────────────────────────────

interface BuildingPlace {
  gridId: string;
  lat: number;
  lng: number;
}

/** community id → building number → its grid and coordinates. */
export function buildingIndex(dir: Pick<DirectoryFile, 'communities'>): Map<string, Map<string, BuildingPlace>> {
  const index = new Map<string, Map<string, BuildingPlace>>();
  for (const c of dir.communities) {
    const m = new Map<string, BuildingPlace>();
    for (const g of c.grids) for (const b of g.buildings) if (!m.has(b.no)) m.set(b.no, { gridId: g.id, lat: b.lat, lng: b.lng });
    index.set(c.id, m);
  }
  return index;
}

function checkReferences(dir: DirectoryFile, ctx: z.core.$RefinementCtx<DirectoryFile>): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const people = new Map(dir.people.map((p) => [p.id, p]));
  const communities = new Map(dir.communities.map((c) => [c.id, c]));
  const teams = new Map(dir.communities.flatMap((c) => c.teams.map((t) => [t.id, { team: t, community: c.id }] as const)));
  const buildings = buildingIndex(dir);

  // Ids are unique per kind; people and rooms share the simulator's identity namespace.
  const seen = new Map<string, string>();
  const claimId = (kind: string, value: string, path: PropertyKey[]) => {
    const key = kind === 'person' || kind === 'room' ? `identity:${value}` : `${kind}:${value}`;
    const before = seen.get(key);
    if (before) issue(path, `duplicate id "${value}" (already used by ${before})`);
    else seen.set(key, `${kind} ${value}`);
  };
  const checkRoom = (room: { id: string; extra_members: string[] } | undefined, path: PropertyKey[]) => {
    if (!room) return;
    claimId('room', room.id, [...path, 'id']);
    room.extra_members.forEach((m, k) => {
      if (!people.has(m)) issue([...path, 'extra_members', k], `no person "${m}"`);
    });
  };

  dir.communities.forEach((c, ci) => {
    const at = (...rest: PropertyKey[]) => ['communities', ci, ...rest];
    claimId('community', c.id, at('id'));
    if (c.secretary !== undefined) {
      const s = people.get(c.secretary);
      if (!s || s.role !== 'secretary' || s.community !== c.id) issue(at('secretary'), `"${c.secretary}" is not a secretary of ${c.id}`);
    }
    checkRoom(c.workers_room, at('workers_room'));
    for (const block of ['checkins', 'orders'] as const) {
      if (c.settings[block] !== undefined) issue(at('settings', block), `put these settings in the community's own "${block}" block, where they are checked`);
    }
    const numbers = new Set<string>();
    c.grids.forEach((g, gi) => {
      claimId('grid', g.id, at('grids', gi, 'id'));
      if (g.worker !== undefined) {
        const w = people.get(g.worker);
        if (!w || w.role !== 'worker' || w.community !== c.id) issue(at('grids', gi, 'worker'), `"${g.worker}" is not a worker of ${c.id}`);
      }
      checkRoom(g.room, at('grids', gi, 'room'));
      g.buildings.forEach((b, bi) => {
        if (numbers.has(b.no)) issue(at('grids', gi, 'buildings', bi, 'no'), `building ${b.no} is listed twice in ${c.id}`);
        numbers.add(b.no);
      });
    });
    c.stations.forEach((s, si) => claimId('station', s.id, at('stations', si, 'id')));
    c.teams.forEach((t, ti) => {
      claimId('team', t.id, at('teams', ti, 'id'));
      checkRoom(t.room, at('teams', ti, 'room'));
      if (t.lead !== undefined) {
        const lead = people.get(t.lead);
        if (!lead || lead.role !== 'team_lead' || lead.team !== t.id) issue(at('teams', ti, 'lead'), `"${t.lead}" must be a team_lead whose team is ${t.id}`);
      }
    });
  });

  dir.people.forEach((p, pi) => {
    const at = (...rest: PropertyKey[]) => ['people', pi, ...rest];
    claimId('person', p.id, at('id'));
    if (!communities.has(p.community)) issue(at('community'), `no community "${p.community}"`);
    if ((p.lat === undefined) !== (p.lng === undefined)) issue(at('lat'), 'give both lat and lng, or neither');
    if (p.in_service_party && !p.party_member) issue(at('in_service_party'), 'an in-service party member must also be a party member');
    if (p.in_service_party && p.employer === undefined) issue(at('employer'), 'an in-service party member needs an employer');
    const place = p.building === undefined ? undefined : buildings.get(p.community)?.get(p.building);
    if (p.building !== undefined && !place) issue(at('building'), `building ${p.building} is not in any grid of ${p.community}`);
    if (p.role === 'building_lead' && p.building === undefined) issue(at('building'), 'a building lead needs the building they look after');
    if (isVolunteerRole(p.role)) {
      if (p.team === undefined) issue(at('team'), 'volunteers and team leads need a team');
      else if (!teams.has(p.team)) issue(at('team'), `no team "${p.team}"`);
      if (!p.skills || p.skills.length === 0) issue(at('skills'), 'volunteers need at least one skill');
      if (p.lat === undefined && !place) issue(at('lat'), 'volunteers need coordinates: lat/lng or a building with coordinates');
      if (p.role === 'team_lead' && p.team !== undefined && teams.get(p.team)?.team.lead !== p.id) issue(at('role'), `team_lead "${p.id}" is not the lead of ${p.team}`);
    } else {
      for (const key of ['team', 'skills', 'availability', 'history', 'active'] as const) {
        if (p[key] !== undefined) issue(at(key), `only volunteers and team leads have ${key}`);
      }
    }
  });
}

// ── Helpers ────────────────────────────────────────────────────────────────────────────────────────────────────

/** "always", or "<days> HH:MM-HH:MM" with days like 1-5, 0,6, 1,3,5 (0 = Sunday); an error message otherwise. */
export function parseAvailability(spec: string): AvailabilityWindow[] | string {
  const s = spec.trim();
  if (s === 'always') return [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: 0, to: 1440 }));
  const m = /^([0-6](?:\s*[-,]\s*[0-6])*)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) return `availability "${spec}": expected "always" or "<days> HH:MM-HH:MM", e.g. "1-5 18:00-21:00" (0 = Sunday)`;
  const [, daysPart = '', h1 = '', m1 = '', h2 = '', m2 = ''] = m;
  const from = Number(h1) * 60 + Number(m1);
  const to = Number(h2) * 60 + Number(m2);
  if (Number(m1) > 59 || Number(m2) > 59 || to > 1440 || from >= to) return `availability "${spec}": the time range must run forward within one day (00:00–24:00)`;
  const days = new Set<number>();
  for (const part of daysPart.split(',')) {
    const [a, b = a] = part.split('-').map((x) => Number(x.trim()));
    if (a === undefined || b === undefined || a > b) return `availability "${spec}": bad day range "${part.trim()}"`;
    for (let d = a; d <= b; d++) days.add(d);
  }
  return [...days].sort((x, y) => x - y).map((day) => ({ day, from, to }));
}

/** people[12] (v-li).skills[0] — indexes annotated with the entry's id so the author can find it. */
function describePath(root: unknown, p: readonly PropertyKey[]): string {
  let node: unknown = root;
  let out = '';
  for (const key of p) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      out += `[${key}]`;
      const entryId = node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      if (typeof entryId === 'string') out += ` (${entryId})`;
    } else out += `${out ? '.' : ''}${String(key)}`;
  }
  return out || '(top level)';
}

function describeIssue(i: z.core.$ZodIssue, root: unknown): string {
  let parent: unknown = root;
  for (const key of i.path.slice(0, -1)) parent = parent !== null && typeof parent === 'object' ? (parent as Record<PropertyKey, unknown>)[key] : undefined;
  const last = i.path[i.path.length - 1];
  if (i.code === 'invalid_type' && last !== undefined && parent !== null && typeof parent === 'object' && !(last in parent)) return 'missing field';
  return i.message;
}
