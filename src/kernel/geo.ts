/** Distances on the ground, for matching volunteers and the 15-minute service circle. Pure arithmetic. */

export interface LatLng {
  lat: number;
  lng: number;
}

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

/** Mean Earth radius (IUGG); the haversine error against the ellipsoid is < 0.5 %, far below walking detours. */
const EARTH_RADIUS_M = 6_371_008.8;
const DEG_TO_RAD = Math.PI / 180;
/** Metres per degree of latitude on the mean sphere. */
const METERS_PER_DEGREE = EARTH_RADIUS_M * DEG_TO_RAD;
/**
 * Streets are not straight lines: in Chinese residential blocks (gated 小区 with few gates) the walking route is
 * typically 1.2–1.4× the straight line. 1.25 keeps a 1.2 km circle close to "15 minutes on foot" for an older walker.
 */
export const WALKING_DETOUR_FACTOR = 1.25;

/**
 * Great-circle distance in metres between two coordinate pairs; the allocation-free core of `distanceMeters`.
 * @example haversineMeters(37.5, 122.1, 37.51, 122.1) // ≈ 1112
 */
export function haversineMeters(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const dLat = (bLat - aLat) * DEG_TO_RAD;
  const dLng = (bLng - aLng) * DEG_TO_RAD;
  const sinLat = Math.sin(dLat / 2);
  const sinLng = Math.sin(dLng / 2);
  const h = sinLat * sinLat + Math.cos(aLat * DEG_TO_RAD) * Math.cos(bLat * DEG_TO_RAD) * sinLng * sinLng;
  // min() guards against h creeping above 1 through rounding for antipodal points.
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Straight-line (great-circle) distance in metres.
 * @example distanceMeters({ lat: 37.5, lng: 122.1 }, { lat: 37.51, lng: 122.1 }) // ≈ 1112
 */
export function distanceMeters(a: LatLng, b: LatLng): number {
  return haversineMeters(a.lat, a.lng, b.lat, b.lng);
}

/**
 * Estimated walking distance in metres: the straight line times `WALKING_DETOUR_FACTOR`.
 * @example walkingMeters({ lat: 37.5, lng: 122.1 }, { lat: 37.51, lng: 122.1 }) // ≈ 1390
 */
export function walkingMeters(a: LatLng, b: LatLng): number {
  return haversineMeters(a.lat, a.lng, b.lat, b.lng) * WALKING_DETOUR_FACTOR;
}

/**
 * Whether `point` is within `radiusM` metres of `centre` on foot (walking distance, boundary included).
 * @example isInsideCircle(home, station, 1200) // true when the walk is ≤ 1.2 km
 */
export function isInsideCircle(point: LatLng, centre: LatLng, radiusM: number): boolean {
  return walkingMeters(point, centre) <= radiusM;
}

/**
 * A lat/lng box that contains every point within `radiusM` straight-line metres of `centre` — and therefore
 * every point within `radiusM` walking metres. Use it as a cheap SQL pre-filter (`lat BETWEEN … AND lng BETWEEN …`),
 * then rank or check the exact distance. Near the poles the longitude span opens to the whole range.
 * @example boundingBox({ lat: 37.5, lng: 122.1 }, 1200) // { minLat: 37.489…, maxLat: 37.510…, minLng: 122.086…, maxLng: 122.113… }
 */
export function boundingBox(centre: LatLng, radiusM: number): BoundingBox {
  const r = Math.max(0, radiusM);
  const dLat = r / METERS_PER_DEGREE;
  const minLat = Math.max(-90, centre.lat - dLat);
  const maxLat = Math.min(90, centre.lat + dLat);
  // The widest longitude span of the circle is at the latitude farthest from the equator inside the box.
  const widestLat = Math.max(Math.abs(minLat), Math.abs(maxLat));
  const cosLat = Math.cos(widestLat * DEG_TO_RAD);
  const dLng = cosLat > 1e-9 ? r / (METERS_PER_DEGREE * cosLat) : 180;
  if (dLng >= 180) return { minLat, maxLat, minLng: -180, maxLng: 180 };
  return {
    minLat,
    maxLat,
    minLng: Math.max(-180, centre.lng - dLng),
    maxLng: Math.min(180, centre.lng + dLng),
  };
}

/**
 * A stable key of the square grid cell (in degrees) containing the point, for bucketing nearby people.
 * @example gridCell(37.5012, 122.1049, 0.01) // '3750:12210'
 */
export function gridCell(lat: number, lng: number, cellDeg: number): string {
  if (!(cellDeg > 0)) throw new RangeError(`gridCell: cellDeg must be > 0, got ${cellDeg}`);
  // The small epsilon keeps 37.50 / 0.01 from landing on 3749.999… and flipping to the cell below.
  const row = Math.floor(lat / cellDeg + 1e-9);
  const col = Math.floor(lng / cellDeg + 1e-9);
  return `${row}:${col}`;
}
