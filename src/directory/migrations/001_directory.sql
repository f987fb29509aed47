-- replaces: 001_init.sql
-- Directory: places, organisations, people and their chat identities.
CREATE TABLE communities (
  id text PRIMARY KEY,
  name text NOT NULL,
  street_id text NOT NULL,
  street_name text NOT NULL,
  district text NOT NULL,
  lat double precision NOT NULL,
  lng double precision NOT NULL,
  secretary_id text,
  settings jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE grids (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities(id),
  name text NOT NULL,
  -- Building numbers ('3', '5', …) that belong to this grid, to resolve an address to a grid.
  buildings text[] NOT NULL DEFAULT '{}',
  worker_id text
);

CREATE TABLE stations (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities(id),
  name text NOT NULL,
  lat double precision NOT NULL,
  lng double precision NOT NULL,
  radius_m double precision
);

CREATE TABLE buildings (
  community_id text NOT NULL REFERENCES communities(id),
  building text NOT NULL,
  lat double precision NOT NULL,
  lng double precision NOT NULL,
  PRIMARY KEY (community_id, building)
);

CREATE TABLE rooms (
  id text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('team', 'workers', 'grid')),
  community_id text NOT NULL REFERENCES communities(id),
  grid_id text REFERENCES grids(id)
);

CREATE TABLE teams (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities(id),
  name text NOT NULL,
  lead_id text,
  room_id text REFERENCES rooms(id)
);

CREATE TABLE people (
  id text PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('resident', 'volunteer', 'team_lead', 'worker', 'secretary', 'building_lead')),
  community_id text REFERENCES communities(id),
  grid_id text REFERENCES grids(id),
  -- Private: shown only to the person themself and to the volunteer serving them.
  phone text,
  address text,
  building text,
  lat double precision,
  lng double precision,
  party_member boolean NOT NULL DEFAULT false,
  in_service_party boolean NOT NULL DEFAULT false,
  employer text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE room_members (
  room_id text NOT NULL REFERENCES rooms(id),
  person_id text NOT NULL REFERENCES people(id),
  PRIMARY KEY (room_id, person_id)
);
CREATE INDEX room_members_person ON room_members (person_id);

CREATE TABLE volunteers (
  person_id text PRIMARY KEY REFERENCES people(id),
  team_id text REFERENCES teams(id),
  station_id text REFERENCES stations(id),
  skills text[] NOT NULL DEFAULT '{}',
  availability jsonb NOT NULL DEFAULT '[]',
  lat double precision NOT NULL,
  lng double precision NOT NULL,
  completed integer NOT NULL DEFAULT 0,
  no_shows integer NOT NULL DEFAULT 0,
  rating_sum integer NOT NULL DEFAULT 0,
  rating_count integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true
);
-- Candidate retrieval is a bounding box on coordinates, narrowed by skill.
CREATE INDEX volunteers_geo ON volunteers (lat, lng) WHERE active;
CREATE INDEX volunteers_skills ON volunteers USING gin (skills);

-- A person (or room) as a chat platform knows them.
CREATE TABLE identities (
  channel text NOT NULL,
  external_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('person', 'room')),
  ref_id text NOT NULL,
  PRIMARY KEY (channel, external_id)
);
CREATE INDEX identities_ref ON identities (kind, ref_id);
