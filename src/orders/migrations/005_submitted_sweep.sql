-- Orders submitted but never offered (the dispatch job was lost to a crash or a Redis outage): the sweep reads
-- only these few rows.
CREATE INDEX orders_submitted ON orders (created_at) WHERE status = 'submitted';
