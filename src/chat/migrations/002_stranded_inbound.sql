-- The sweep looks for inbound messages never handled; only those few rows are in this index.
CREATE INDEX messages_inbound_pending ON messages (created_at) WHERE direction = 'in' AND status = 'received';
