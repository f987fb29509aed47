/**
 * What the bench's residents ask for and where they live, drawn on the JavaScript side with a seeded generator so
 * every run places the same orders: homes like the volunteers' (synthetic-city.ts), categories in a realistic mix.
 */
import { CENTRES, CITY, CLUSTER_SIGMA_DEG, CLUSTERED_SHARE } from './synthetic-city.js';

/** Deterministic pseudo-random numbers in [0, 1) for the JavaScript side (order positions, categories). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  // mulberry32: tiny, fast and good enough to spread synthetic orders; not for anything secret.
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where a resident lives, drawn like the volunteers' homes (same centres and spread). */
export function sampleHome(random: () => number): { lat: number; lng: number } {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  if (random() >= CLUSTERED_SHARE) {
    return { lat: CITY.minLat + random() * (CITY.maxLat - CITY.minLat), lng: CITY.minLng + random() * (CITY.maxLng - CITY.minLng) };
  }
  const centre = CENTRES[Math.floor(random() * CENTRES.length)] ?? CENTRES[0];
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  const angle = 2 * Math.PI * random();
  return {
    lat: clamp(centre.lat + CLUSTER_SIGMA_DEG * radius * Math.cos(angle), CITY.minLat, CITY.maxLat),
    lng: clamp(centre.lng + (CLUSTER_SIGMA_DEG / Math.cos((centre.lat * Math.PI) / 180)) * radius * Math.sin(angle), CITY.minLng, CITY.maxLng),
  };
}

/** What residents ask for, roughly as community service records show it; emergencies skip the 「确认」 step. */
export const ORDER_MIX: readonly { code: string; share: number }[] = [
  { code: 'errand', share: 0.25 },
  { code: 'elder_companion', share: 0.15 },
  { code: 'medical_escort', share: 0.15 },
  { code: 'home_repair', share: 0.12 },
  { code: 'digital_help', share: 0.1 },
  { code: 'cleaning', share: 0.08 },
  { code: 'child_care', share: 0.06 },
  { code: 'disability_aid', share: 0.04 },
  { code: 'counseling', share: 0.03 },
  { code: 'legal_aid', share: 0.02 },
];

export function sampleCategory(random: () => number): string {
  let u = random() * ORDER_MIX.reduce((sum, c) => sum + c.share, 0);
  for (const c of ORDER_MIX) {
    u -= c.share;
    if (u < 0) return c.code;
  }
  return 'errand';
}
