-- Whether an order's hours are in the time bank: a dispute settled against them then reverses them.
ALTER TABLE orders ADD COLUMN credited boolean NOT NULL DEFAULT false;
UPDATE orders SET credited = true WHERE id IN (SELECT order_id FROM ledger_transactions WHERE reason = 'service' AND order_id IS NOT NULL);

-- The effects outbox: what a transition asks for beyond the database (notices, offers, timers), written in
-- the same transaction as the transition, keyed by order, version and position, and carried out once each.
CREATE TABLE order_effects (
  order_id bigint NOT NULL REFERENCES orders(id),
  version integer NOT NULL,
  seq smallint NOT NULL,
  effect jsonb NOT NULL,
  -- The order as this version left it: notices are worded from it, whatever happened since.
  snapshot jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  PRIMARY KEY (order_id, version, seq)
);
CREATE INDEX order_effects_pending ON order_effects (created_at) WHERE done_at IS NULL;

-- A follow-up (回访) is closed when the worker settles the dispute.
ALTER TABLE followups ADD COLUMN note text, ADD COLUMN closed_by text REFERENCES people(id), ADD COLUMN closed_at timestamptz;
