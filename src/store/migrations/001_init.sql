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

-- Orders: 点单 → 派单 → 接单 → 评单.
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  no text NOT NULL,
  resident_id text NOT NULL REFERENCES people(id),
  created_by text NOT NULL REFERENCES people(id),
  community_id text NOT NULL REFERENCES communities(id),
  grid_id text REFERENCES grids(id),
  category text NOT NULL,
  description text NOT NULL,
  urgent boolean NOT NULL DEFAULT false,
  wanted_at timestamptz,
  planned_hours numeric NOT NULL,
  lat double precision NOT NULL,
  lng double precision NOT NULL,
  area text NOT NULL,
  -- Private: given only to the volunteer who claimed the order.
  address text NOT NULL,
  phone text,
  status text NOT NULL,
  escalation_level smallint NOT NULL DEFAULT 0,
  volunteer_id text REFERENCES people(id),
  hours numeric,
  rating smallint,
  comment text,
  auto_confirmed boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- An order number is unique among open orders and may be reused once the order is closed.
CREATE UNIQUE INDEX orders_open_no ON orders (no)
  WHERE status IN ('submitted', 'offered', 'claimed', 'in_service', 'done', 'unclaimed', 'disputed');
CREATE INDEX orders_no ON orders (no, id DESC);
CREATE INDEX orders_resident ON orders (resident_id, id DESC);
CREATE INDEX orders_volunteer ON orders (volunteer_id, id DESC);

-- Every state change: who, through which channel, when. Also the status history.
CREATE TABLE order_events (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders(id),
  from_status text,
  to_status text NOT NULL,
  event jsonb NOT NULL,
  actor text,
  channel text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- The ranking, explained: each candidate's score parts at each dispatch level.
CREATE TABLE order_candidates (
  order_id bigint NOT NULL REFERENCES orders(id),
  volunteer_id text NOT NULL REFERENCES people(id),
  level smallint NOT NULL,
  rank integer NOT NULL,
  score double precision NOT NULL,
  parts jsonb NOT NULL,
  distance_m double precision NOT NULL,
  inside_circle boolean NOT NULL,
  offered_privately boolean NOT NULL DEFAULT false,
  PRIMARY KEY (order_id, volunteer_id)
);

-- Team rooms an order was posted in: one post per room per order, however often dispatch runs.
CREATE TABLE order_rooms (
  order_id bigint NOT NULL REFERENCES orders(id),
  room_id text NOT NULL REFERENCES rooms(id),
  level smallint NOT NULL,
  posted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, room_id)
);

-- Follow-ups (回访) for the grid worker after a poor rating.
CREATE TABLE followups (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL UNIQUE REFERENCES orders(id),
  grid_id text REFERENCES grids(id),
  worker_id text REFERENCES people(id),
  status text NOT NULL DEFAULT 'open',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only double-entry ledger in hours: every transaction's entries sum to zero.
CREATE TABLE ledger_entries (
  id bigserial PRIMARY KEY,
  txn_id text NOT NULL,
  account text NOT NULL,
  hours numeric NOT NULL,
  reason text NOT NULL,
  order_id bigint REFERENCES orders(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_account ON ledger_entries (account);
-- Service hours are credited at most once per order, whatever retries happen.
CREATE UNIQUE INDEX ledger_service_once ON ledger_entries (txn_id, account);

-- Every message in and out, for the simulator, audits and redelivery checks.
CREATE TABLE messages (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  platform_message_id text,
  person_id text,
  room_id text,
  sender_external text,
  text text NOT NULL,
  mentions jsonb NOT NULL DEFAULT '[]',
  mentions_bot boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'received',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX messages_inbound_once ON messages (channel, platform_message_id) WHERE direction = 'in';
CREATE INDEX messages_person ON messages (person_id, id);
CREATE INDEX messages_room ON messages (room_id, id);
