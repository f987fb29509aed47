import { boundingBox, distanceMeters, gridCell, haversineMeters, isInsideCircle, walkingMeters, WALKING_DETOUR_FACTOR } from '../../src/kernel/geo.js';

/** Weihai city centre, roughly: the latitudes this bot serves. */
const WEIHAI = { lat: 37.5131, lng: 122.1204 };
/** One degree of latitude on the mean sphere, in metres. */
const DEGREE_M = 111_195;

describe('distanceMeters', () => {
  it.each([
    ['same point', WEIHAI, WEIHAI, 0, 0.001],
    ['0.01° north', WEIHAI, { lat: WEIHAI.lat + 0.01, lng: WEIHAI.lng }, DEGREE_M * 0.01, 1],
    ['0.01° east at 37.5°N shrinks by cos(lat)', WEIHAI, { lat: WEIHAI.lat, lng: WEIHAI.lng + 0.01 }, DEGREE_M * 0.01 * Math.cos((WEIHAI.lat * Math.PI) / 180), 1],
    // Published great-circle distance Beijing (39.9042, 116.4074) – Shanghai (31.2304, 121.4737): ≈ 1067 km.
    ['Beijing to Shanghai', { lat: 39.9042, lng: 116.4074 }, { lat: 31.2304, lng: 121.4737 }, 1_067_000, 3_000],
    ['antipodes stay finite', { lat: 0, lng: 0 }, { lat: 0, lng: 180 }, Math.PI * 6_371_008.8, 1],
  ])('%s', (_name, a, b, expected, tolerance) => {
    expect(Math.abs(distanceMeters(a, b) - expected)).toBeLessThanOrEqual(tolerance);
    expect(distanceMeters(b, a)).toBeCloseTo(distanceMeters(a, b), 6);
    expect(haversineMeters(a.lat, a.lng, b.lat, b.lng)).toBe(distanceMeters(a, b));
  });
});

describe('walkingMeters and isInsideCircle', () => {
  const oneKmNorth = { lat: WEIHAI.lat + 1000 / DEGREE_M, lng: WEIHAI.lng };

  it('walking is the straight line times the detour factor', () => {
    expect(WALKING_DETOUR_FACTOR).toBe(1.25);
    expect(walkingMeters(WEIHAI, oneKmNorth)).toBeCloseTo(1250, 0);
  });

  it.each([
    [1300, true],
    [1250.5, true],
    [1249, false],
    [1200, false],
    [0, false],
  ])('1 km straight (1.25 km walk) inside a %d m circle: %s', (radius, inside) => {
    expect(isInsideCircle(oneKmNorth, WEIHAI, radius)).toBe(inside);
  });

  it('the centre is inside a zero circle', () => {
    expect(isInsideCircle(WEIHAI, WEIHAI, 0)).toBe(true);
  });
});

describe('boundingBox', () => {
  it.each([
    ['Weihai, 1.2 km', WEIHAI, 1200],
    ['equator, 5 km', { lat: 0, lng: 10 }, 5000],
    ['far north, 3 km', { lat: 80, lng: 20 }, 3000],
  ])('%s contains every point of the circle and is not much bigger', (_name, centre, radius) => {
    const box = boundingBox(centre, radius);
    for (let deg = 0; deg < 360; deg += 5) {
      // A point at exactly `radius` metres in direction `deg`, by forward azimuth on the sphere.
      const point = moveMeters(centre, radius * 0.999, deg);
      expect(point.lat).toBeGreaterThanOrEqual(box.minLat);
      expect(point.lat).toBeLessThanOrEqual(box.maxLat);
      expect(point.lng).toBeGreaterThanOrEqual(box.minLng);
      expect(point.lng).toBeLessThanOrEqual(box.maxLng);
    }
    expect(distanceMeters({ lat: box.minLat, lng: centre.lng }, { lat: box.maxLat, lng: centre.lng })).toBeLessThan(radius * 2.01);
  });

  it('opens to all longitudes at the pole and clamps latitude', () => {
    expect(boundingBox({ lat: 89.999, lng: 0 }, 5000)).toEqual({ minLat: expect.any(Number), maxLat: 90, minLng: -180, maxLng: 180 });
  });

  it('a zero radius is the point itself', () => {
    expect(boundingBox(WEIHAI, 0)).toEqual({ minLat: WEIHAI.lat, maxLat: WEIHAI.lat, minLng: WEIHAI.lng, maxLng: WEIHAI.lng });
  });
});

describe('gridCell', () => {
  it.each([
    [37.5012, 122.1049, 0.01, '3750:12210'],
    [37.5, 122.1, 0.01, '3750:12210'],
    [37.4999, 122.0999, 0.01, '3749:12209'],
    [-0.001, -0.001, 0.01, '-1:-1'],
    [37.5131, 122.1204, 0.1, '375:1221'],
  ])('(%d, %d) / %d → %s', (lat, lng, cell, key) => {
    expect(gridCell(lat, lng, cell)).toBe(key);
  });

  it('refuses a non-positive cell size', () => {
    expect(() => gridCell(1, 1, 0)).toThrow(RangeError);
  });
});

/** Destination point on the sphere (standard formula), only to probe the box from outside the code under test. */
function moveMeters(from: { lat: number; lng: number }, meters: number, bearingDeg: number): { lat: number; lng: number } {
  const r = 6_371_008.8;
  const toRad = Math.PI / 180;
  const d = meters / r;
  const b = bearingDeg * toRad;
  const lat1 = from.lat * toRad;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lng2 = from.lng * toRad + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: lat2 / toRad, lng: lng2 / toRad };
}
