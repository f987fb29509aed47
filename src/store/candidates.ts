import { boundingBox } from '../domain/geo.js';
import type { AvailabilityWindow, Candidate } from '../domain/types.js';
import type { Db } from './db.js';

interface CandidateRow {
  id: string;
  name: string;
  team_id: string | null;
  skills: string[];
  lat: number;
  lng: number;
  station_lat: number | null;
  station_lng: number | null;
  availability: AvailabilityWindow[];
  completed: number;
  no_shows: number;
  avg_rating: number | null;
  hours_month: string;
  party_member: boolean;
  open_orders: { start: string; end: string }[];
}

/** Most candidates ranked for one order; the nearest are kept when more match. */
const MAX_CANDIDATES = 500;

/**
 * Volunteers around a point who hold every required skill: a bounding-box range scan on the
 * (lat, lng) index narrowed by the skills GIN index, never a scan of everyone.
 */
export async function findCandidates(
  db: Db,
  q: { lat: number; lng: number; radiusM: number; requiredSkills: string[]; monthStart: Date },
): Promise<Candidate[]> {
  const box = boundingBox({ lat: q.lat, lng: q.lng }, q.radiusM);
  const { rows } = await db.query<CandidateRow>(
    `SELECT p.id, p.name, v.team_id, v.skills, v.lat, v.lng, s.lat AS station_lat, s.lng AS station_lng, v.availability,
       v.completed, v.no_shows, p.party_member,
       CASE WHEN v.rating_count > 0 THEN v.rating_sum::float8 / v.rating_count END AS avg_rating,
       COALESCE((SELECT sum(l.hours) FROM ledger_entries l
                 WHERE l.account = 'volunteer:' || p.id AND l.hours > 0 AND l.created_at >= $6), 0) AS hours_month,
       COALESCE((SELECT json_agg(json_build_object(
                   'start', COALESCE(o.wanted_at, o.updated_at),
                   'end', COALESCE(o.wanted_at, o.updated_at) + o.planned_hours * interval '1 hour'))
                 FROM orders o WHERE o.volunteer_id = p.id AND o.status IN ('claimed', 'in_service')), '[]') AS open_orders
     FROM volunteers v JOIN people p ON p.id = v.person_id LEFT JOIN stations s ON s.id = v.station_id
     WHERE v.active AND v.lat BETWEEN $1 AND $2 AND v.lng BETWEEN $3 AND $4 AND v.skills @> $5::text[]
     ORDER BY (v.lat - $7) ^ 2 + (v.lng - $8) ^ 2
     LIMIT ${MAX_CANDIDATES}`,
    [box.minLat, box.maxLat, box.minLng, box.maxLng, q.requiredSkills, q.monthStart, q.lat, q.lng],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    teamId: r.team_id,
    skills: r.skills,
    lat: r.lat,
    lng: r.lng,
    stationLat: r.station_lat,
    stationLng: r.station_lng,
    availability: r.availability,
    openOrders: r.open_orders.map((o) => ({ start: new Date(o.start).toISOString(), end: new Date(o.end).toISOString() })),
    completed: r.completed,
    noShows: r.no_shows,
    avgRating: r.avg_rating,
    hoursThisMonth: Number(r.hours_month),
    partyMember: r.party_member,
  }));
}

/** One volunteer as matching sees them, for the claim checks (skills, overlapping orders). */
export async function getVolunteerSkills(db: Db, personId: string): Promise<string[] | null> {
  const { rows } = await db.query<{ skills: string[] }>('SELECT skills FROM volunteers WHERE person_id = $1', [personId]);
  return rows[0]?.skills ?? null;
}

/** Open orders a volunteer holds, with their time windows, to refuse an overlapping claim. */
export async function getHeldOrders(db: Db, personId: string): Promise<{ no: string; wantedAt: string | null; plannedHours: number; updatedAt: string }[]> {
  const { rows } = await db.query<{ no: string; wanted_at: Date | null; planned_hours: string; updated_at: Date }>(
    `SELECT no, wanted_at, planned_hours, updated_at FROM orders WHERE volunteer_id = $1 AND status IN ('claimed', 'in_service')`,
    [personId],
  );
  return rows.map((r) => ({ no: r.no, wantedAt: r.wanted_at?.toISOString() ?? null, plannedHours: Number(r.planned_hours), updatedAt: r.updated_at.toISOString() }));
}

/** Reliability history after a completed service, a rating or a late release. */
export async function recordReliability(db: Db, personId: string, change: { completed?: number; noShows?: number; rating?: number }): Promise<void> {
  await db.query(
    `UPDATE volunteers SET completed = completed + $2, no_shows = no_shows + $3,
       rating_sum = rating_sum + $4, rating_count = rating_count + $5 WHERE person_id = $1`,
    [personId, change.completed ?? 0, change.noShows ?? 0, change.rating ?? 0, change.rating ? 1 : 0],
  );
}
