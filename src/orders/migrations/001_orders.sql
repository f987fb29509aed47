-- replaces: 001_init.sql
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
