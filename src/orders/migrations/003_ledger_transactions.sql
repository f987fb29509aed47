-- replaces: 004_ledger_transactions.sql
-- One row per ledger transaction: the key that makes "credit this order's hours" happen once, whoever
-- is credited. (Entries alone, unique per transaction and account, let a second volunteer's credit of
-- the same order through without its balancing entry.)
CREATE TABLE ledger_transactions (
  txn_id text PRIMARY KEY,
  reason text NOT NULL,
  order_id bigint REFERENCES orders(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ledger_transactions (txn_id, reason, order_id)
SELECT txn_id, min(reason), min(order_id) FROM ledger_entries GROUP BY txn_id ON CONFLICT DO NOTHING;
