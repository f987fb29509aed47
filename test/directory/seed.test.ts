import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CATEGORY_CODES, type AvailabilityWindow } from '../../src/directory/types.js';
import { canServe, categoryByCode, loadCatalogue } from '../../src/directory/catalogue.js';
import { openDatabase, type Database } from '../../src/platform/db.js';
import { migrateDatabase } from '../../src/main.js';
import { DEFAULT_DIRECTORY_FILE, loadDirectory, parseAvailability, seedDirectory } from '../../src/directory/seed.js';
import { needsServer, serverUrl } from '../support/needs-server';

const url = serverUrl;
const unique = `${process.pid}_${Date.now().toString(36)}`;
const schemas: string[] = [];
const opened: Database[] = [];
const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', name);

async function freshDatabase(tag: string): Promise<Database> {
  const schema = `test_seed_${tag}_${unique}`;
  schemas.push(schema);
  const database = await openDatabase({ url, dataDir: 'memory://', schema });
  opened.push(database);
  await migrateDatabase(database.db);
  return database;
}

let database: Database;
let db: Database['db'];

beforeAll(async () => {
  database = await freshDatabase('main');
  db = database.db;
});

afterAll(async () => {
  for (const d of opened) await d.close();
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.end();
  }
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the call to throw');
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) q`, params);
  return Number(rows[0]?.n);
}

describe('seedDirectory', () => {
  let first: { seeded: boolean };
  beforeAll(async () => {
    first = await seedDirectory(db);
  });

  it('seeds the demo community on an empty database', () => {
    expect(first).toEqual({ seeded: true });
  });

  it('creates the organisation of 东北村社区', async () => {
    const { rows } = await db.query('SELECT name, street_id, street_name, district, secretary_id FROM communities WHERE id = $1', ['dongbeicun']);
    expect(rows[0]).toEqual({ name: '东北村社区', street_id: 'zhudao', street_name: '竹岛街道', district: '环翠区', secretary_id: 's-sun' });
    expect(await count("SELECT 1 FROM grids WHERE community_id = 'dongbeicun' AND worker_id IS NOT NULL")).toBe(2);
    expect(await count("SELECT 1 FROM teams WHERE community_id = 'dongbeicun' AND lead_id IS NOT NULL AND room_id IS NOT NULL")).toBe(4);
    expect(await count("SELECT 1 FROM stations WHERE community_id = 'dongbeicun' AND radius_m = 1200")).toBeGreaterThanOrEqual(3);
    expect(await count("SELECT 1 FROM buildings WHERE community_id = 'dongbeicun'")).toBe(12);
    const grids = await db.query<{ id: string; buildings: string[] }>("SELECT id, buildings FROM grids WHERE community_id = 'dongbeicun' ORDER BY id");
    expect(grids.rows).toEqual([
      { id: 'dongbeicun-g1', buildings: ['1', '2', '3', '4', '5', '6'] },
      { id: 'dongbeicun-g2', buildings: ['7', '8', '9', '10', '11', '12'] },
    ]);
  });

  it('creates the people of 东北村社区 by role', async () => {
    const byRole = async (role: string) => count("SELECT 1 FROM people WHERE community_id = 'dongbeicun' AND role = $1", [role]);
    expect(await byRole('worker')).toBe(2);
    expect(await byRole('secretary')).toBe(1);
    expect(await byRole('building_lead')).toBeGreaterThanOrEqual(4);
    expect(await byRole('resident')).toBeGreaterThanOrEqual(4);
    expect(await byRole('team_lead')).toBe(4);
    expect(await count("SELECT 1 FROM volunteers v JOIN people p ON p.id = v.person_id WHERE p.community_id = 'dongbeicun'")).toBeGreaterThanOrEqual(20);
    // Every volunteer and team lead has a volunteers row; nobody else does.
    expect(await count("SELECT 1 FROM people p LEFT JOIN volunteers v ON v.person_id = p.id WHERE (p.role IN ('volunteer', 'team_lead')) <> (v.person_id IS NOT NULL)")).toBe(0);
  });

  it('gives residents saved addresses, except one who has none', async () => {
    const { rows } = await db.query<{ id: string; address: string | null; phone: string | null; building: string | null; grid_id: string | null; lat: number | null }>(
      "SELECT id, address, phone, building, grid_id, lat FROM people WHERE role = 'resident' AND community_id = 'dongbeicun' ORDER BY id",
    );
    const complete = rows.filter((r) => r.address && r.phone && r.building && r.grid_id && r.lat !== null);
    expect(complete.length).toBeGreaterThanOrEqual(4);
    expect(rows.find((r) => r.id === 'r-ma')).toMatchObject({ address: null, phone: null, building: null, grid_id: null, lat: null });
    expect(rows.find((r) => r.id === 'r-wang')).toMatchObject({ address: '3号楼2单元301', building: '3', grid_id: 'dongbeicun-g1' });
  });

  it('gives every volunteer a team of their community, a home station, skills, availability and history', async () => {
    const { rows } = await db.query<{ person_id: string; team_community: string; station_community: string | null; skills: string[]; availability: AvailabilityWindow[]; community_id: string }>(
      `SELECT v.person_id, t.community_id AS team_community, s.community_id AS station_community, v.skills, v.availability, p.community_id
       FROM volunteers v JOIN people p ON p.id = v.person_id JOIN teams t ON t.id = v.team_id LEFT JOIN stations s ON s.id = v.station_id`,
    );
    for (const r of rows) {
      expect({ id: r.person_id, team: r.team_community, station: r.station_community }).toEqual({ id: r.person_id, team: r.community_id, station: r.community_id });
      expect(r.skills.length).toBeGreaterThan(0);
      for (const w of r.availability) expect(w.day >= 0 && w.day <= 6 && w.from >= 0 && w.from < w.to && w.to <= 1440).toBe(true);
    }
    expect(await count('SELECT 1 FROM volunteers WHERE completed > 0 AND rating_count > 0')).toBeGreaterThan(10);
    expect(await count('SELECT 1 FROM volunteers WHERE no_shows > 0')).toBeGreaterThan(0);
    expect(await count('SELECT 1 FROM volunteers WHERE completed = 0')).toBeGreaterThan(0);
    expect(await count("SELECT 1 FROM people WHERE in_service_party AND party_member AND employer IS NOT NULL AND role IN ('volunteer', 'team_lead')")).toBeGreaterThanOrEqual(3);
    // Team leads lead the team they belong to.
    expect(await count('SELECT 1 FROM teams t LEFT JOIN volunteers v ON v.person_id = t.lead_id AND v.team_id = t.id WHERE v.person_id IS NULL')).toBe(0);
  });

  it('lets at least two 东北村 volunteers serve every category of the catalogue', async () => {
    const catalogue = loadCatalogue();
    const { rows } = await db.query<{ skills: string[] }>("SELECT v.skills FROM volunteers v JOIN people p ON p.id = v.person_id WHERE p.community_id = 'dongbeicun' AND v.active");
    const coverage = Object.fromEntries(catalogue.map((c) => [c.code, rows.filter((r) => canServe(c, r.skills)).length]));
    for (const code of CATEGORY_CODES) expect({ code, n: (coverage[code] ?? 0) >= 2 }).toEqual({ code, n: true });
  });

  it('puts the right people in every room', async () => {
    expect(await count('SELECT 1 FROM rooms r WHERE NOT EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id)')).toBe(0);
    expect(await count("SELECT 1 FROM rooms WHERE community_id = 'dongbeicun' AND kind = 'team'")).toBe(4);
    expect(await count("SELECT 1 FROM rooms WHERE community_id = 'dongbeicun' AND kind = 'grid'")).toBe(2);
    // Team rooms: exactly the team's volunteers, lead included.
    expect(
      await count(`SELECT 1 FROM teams t JOIN volunteers v ON v.team_id = t.id
                   WHERE NOT EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = t.room_id AND m.person_id = v.person_id)`),
    ).toBe(0);
    expect(
      await count(`SELECT 1 FROM teams t JOIN room_members m ON m.room_id = t.room_id
                   WHERE NOT EXISTS (SELECT 1 FROM volunteers v WHERE v.person_id = m.person_id AND v.team_id = t.id)`),
    ).toBe(0);
    // The workers room: the secretary and both workers.
    const workers = await db.query<{ person_id: string }>("SELECT person_id FROM room_members WHERE room_id = 'room-dongbeicun-workers' ORDER BY person_id");
    expect(workers.rows.map((r) => r.person_id)).toEqual(['s-sun', 'w-liu', 'w-zhao']);
    // Grid rooms: the grid's worker and the building leads living in that grid.
    const members = await db.query<{ room: string; grid: string; person: string; role: string; person_grid: string | null; worker_id: string | null }>(
      `SELECT r.id AS room, r.grid_id AS grid, p.id AS person, p.role, p.grid_id AS person_grid, g.worker_id
       FROM rooms r JOIN grids g ON g.id = r.grid_id JOIN room_members m ON m.room_id = r.id JOIN people p ON p.id = m.person_id
       WHERE r.kind = 'grid'`,
    );
    for (const m of members.rows) {
      if (m.role === 'worker') expect(m.person).toBe(m.worker_id);
      else expect({ person: m.person, role: m.role, grid: m.person_grid }).toEqual({ person: m.person, role: 'building_lead', grid: m.grid });
    }
    const leadsPerGrid = members.rows.filter((m) => m.role === 'building_lead' && m.grid.startsWith('dongbeicun'));
    expect(leadsPerGrid.length).toBeGreaterThanOrEqual(4);
    expect(new Set(leadsPerGrid.map((m) => m.grid)).size).toBe(2);
  });

  it('binds every person and every room to a sim identity named by its id', async () => {
    expect(await count("SELECT 1 FROM people p WHERE NOT EXISTS (SELECT 1 FROM identities i WHERE i.channel = 'sim' AND i.external_id = p.id AND i.kind = 'person' AND i.ref_id = p.id)")).toBe(0);
    expect(await count("SELECT 1 FROM rooms r WHERE NOT EXISTS (SELECT 1 FROM identities i WHERE i.channel = 'sim' AND i.external_id = r.id AND i.kind = 'room' AND i.ref_id = r.id)")).toBe(0);
  });

  it('gives the street a second community whose team can take escalations', async () => {
    const { rows } = await db.query("SELECT street_id FROM communities WHERE id = 'xibeicun'");
    expect(rows[0]).toEqual({ street_id: 'zhudao' });
    expect(await count("SELECT 1 FROM teams WHERE community_id = 'xibeicun' AND room_id IS NOT NULL")).toBe(1);
    expect(await count("SELECT 1 FROM volunteers v JOIN teams t ON t.id = v.team_id WHERE t.community_id = 'xibeicun'")).toBe(3);
  });

  it("stores each community's check-in and order settings in communities.settings", async () => {
    const { rows } = await db.query<{ id: string; settings: unknown }>('SELECT id, settings FROM communities ORDER BY id');
    expect(rows).toEqual([
      {
        id: 'dongbeicun',
        settings: { checkins: { slots: { morning: '08:30', evening: '17:30' }, restDays: [], holidays: ['2026-10-01', '2026-10-02', '2026-10-03'] } },
      },
      {
        id: 'xibeicun',
        settings: {
          checkins: { slots: { morning: '09:00', evening: '17:00' }, restDays: [0] },
          orders: { escalationMinutes: [5, 15, 40], quietHours: { start: '22:30', end: '06:30' } },
        },
      },
    ]);
  });

  it('writes only the check-in keys a community gives', async () => {
    const other = await freshDatabase('partial');
    await seedDirectory(other.db, fixture('directory-partial-checkins.yaml'));
    const { rows } = await other.db.query<{ id: string; settings: unknown }>('SELECT id, settings FROM communities ORDER BY id');
    expect(rows).toEqual([
      { id: 'beicun', settings: {} },
      { id: 'nancun', settings: { checkins: { slots: { evening: '18:00' } } } },
    ]);
  });

  it('does nothing when seeded again', async () => {
    const before = await count('SELECT 1 FROM people');
    await expect(seedDirectory(db)).resolves.toEqual({ seeded: false });
    expect(await count('SELECT 1 FROM people')).toBe(before);
    expect(await count("SELECT 1 FROM identities WHERE channel = 'sim'")).toBe(before + (await count('SELECT 1 FROM rooms')));
  });

  needsServer('two replicas seeding at once need two concurrent sessions on one database; PGlite has one')('seeds once when two replicas seed at the same time', async () => {
    const other = await freshDatabase('race');
    const results = await Promise.all([seedDirectory(other.db), seedDirectory(other.db)]);
    expect(results.map((r) => r.seeded).sort()).toEqual([false, true]);
  });
});

describe('loadDirectory', () => {
  it('names the entry when a cross-reference is wrong', () => {
    const file = path.join(os.tmpdir(), `linli-directory-${unique}.yaml`);
    const broken = fs.readFileSync(DEFAULT_DIRECTORY_FILE, 'utf8').replace('lead: v-li', 'lead: v-wang').replace('building: "2"', 'building: "99"');
    fs.writeFileSync(file, broken);
    try {
      expect(() => loadDirectory(file)).toThrow(file);
      expect(() => loadDirectory(file)).toThrow(/teams\[0\] \(dongbeicun-hongmajia\)\.lead: "v-wang" must be a team_lead/);
      expect(() => loadDirectory(file)).toThrow(/people\[\d+\] \(bl-zhou\)\.building: building 99 is not in any grid of dongbeicun/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('refuses bad check-in settings, naming the community and the field', () => {
    const file = fixture('directory-bad-checkins.yaml');
    const message = messageOf(() => loadDirectory(file));
    expect(message).toContain(file);
    expect(message).toMatch(/communities\[0\] \(dongcun\)\.checkins\.morning: expected a time "HH:MM" between 00:00 and 23:59/);
    expect(message).toMatch(/communities\[0\] \(dongcun\)\.checkins\.evening: expected a time "HH:MM"/);
    expect(message).toMatch(/communities\[0\] \(dongcun\)\.checkins\.rest_days\[1\]: expected a weekday 0–6/);
    expect(message).toMatch(/communities\[0\] \(dongcun\)\.checkins\.holidays\[1\]: expected a real date "YYYY-MM-DD"/);
    expect(message).not.toMatch(/holidays\[0\]|rest_days\[0\]/);
    expect(message).toMatch(/communities\[1\] \(xicun\)\.checkins\.evening: the morning check-in must come before the evening one/);
    expect(message).toMatch(/communities\[1\] \(xicun\)\.settings\.checkins: put these settings in the community's own "checkins" block/);
    // Times that are malformed are reported as such, not also as out of order.
    expect(message.match(/must come before/g)).toHaveLength(1);
  });

  it('reads availability shorthand', () => {
    expect(parseAvailability('0,6 09:00-12:30')).toEqual([
      { day: 0, from: 540, to: 750 },
      { day: 6, from: 540, to: 750 },
    ]);
    expect(parseAvailability('always')).toHaveLength(7);
    expect(parseAvailability('1-5 22:00-02:00')).toMatch(/run forward/);
  });
});

describe('loadCatalogue', () => {
  it('has all eleven categories with Chinese names', () => {
    const catalogue = loadCatalogue();
    expect(catalogue.map((c) => c.code).sort()).toEqual([...CATEGORY_CODES].sort());
    expect(categoryByCode(catalogue, 'home_repair')).toMatchObject({ name: '家居维修', requiredSkills: [], skills: ['repair', 'electrical', 'plumbing'] });
    expect(categoryByCode(catalogue, 'legal_aid').requiredSkills).toEqual(['legal']);
    expect(categoryByCode(catalogue, 'counseling').requiredSkills).toEqual(['counseling']);
    for (const c of catalogue) {
      expect(c.name).toMatch(/[\u4e00-\u9fff]/);
      expect(c.defaultHours).toBeGreaterThan(0);
    }
  });

  it('rejects an unknown category code, naming the file and the code', () => {
    const file = fixture('catalogue-unknown-code.yaml');
    expect(() => loadCatalogue(file)).toThrow(file);
    expect(() => loadCatalogue(file)).toThrow(/unknown category code "housekeeping"/);
    expect(() => loadCatalogue(file)).toThrow(/category "cleaning" is missing/);
  });

  it('rejects an entry with a missing field, naming the entry and the field', () => {
    const file = fixture('catalogue-missing-field.yaml');
    expect(() => loadCatalogue(file)).toThrow(file);
    expect(() => loadCatalogue(file)).toThrow(/category "legal_aid": missing field "defaultHours"/);
  });

  it('rejects skills outside the vocabulary', () => {
    expect(() => loadCatalogue(fixture('catalogue-unknown-skill.yaml'))).toThrow(/category "legal_aid": requiredSkills\[0\]: unknown skill "lawyer"/);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadCatalogue(fixture('catalogue-nonexistent.yaml'))).toThrow(/catalogue-nonexistent\.yaml: cannot read/);
  });
});
