-- replaces: 002_checkins.sql
-- Twice-daily check-ins (每日两碰头): one row per room, date and slot is the durable key that makes each
-- prompt, nudge and summary happen once, however many replicas run and however often they restart.
CREATE TABLE checkin_slots (
  id bigserial PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities(id),
  tier text NOT NULL CHECK (tier IN ('workers', 'grid')),
  room_id text NOT NULL REFERENCES rooms(id),
  date date NOT NULL,
  slot text NOT NULL CHECK (slot IN ('morning', 'evening')),
  scheduled_at timestamptz NOT NULL,
  prompted_at timestamptz,
  nudged_at timestamptz,
  summarized_at timestamptz,
  forced_count integer NOT NULL DEFAULT 0,
  UNIQUE (room_id, date, slot)
);
CREATE INDEX checkin_slots_community ON checkin_slots (community_id, date);

-- Who is expected to answer a slot, and when they did.
CREATE TABLE checkin_expected (
  slot_id bigint NOT NULL REFERENCES checkin_slots(id),
  person_id text NOT NULL REFERENCES people(id),
  answered_at timestamptz,
  PRIMARY KEY (slot_id, person_id)
);

-- The needs list (居民需求清单) and the risk list (风险隐患清单).
CREATE TABLE checkin_items (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('need', 'risk')),
  community_id text NOT NULL REFERENCES communities(id),
  grid_id text REFERENCES grids(id),
  room_id text REFERENCES rooms(id),
  slot_id bigint REFERENCES checkin_slots(id),
  reporter_id text NOT NULL REFERENCES people(id),
  owner_id text REFERENCES people(id),
  text text NOT NULL,
  level text CHECK (level IN ('一般', '较大', '重大')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'converted')),
  note text,
  order_id bigint REFERENCES orders(id),
  closed_by text REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE INDEX checkin_items_list ON checkin_items (kind, community_id, status, id);
