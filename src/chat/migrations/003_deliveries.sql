-- One row per outbound message and platform that must carry it, written with the message; the sweep queues
-- again those still pending, so a crash between commit and queueing loses no delivery.
CREATE TABLE deliveries (
  message_id bigint NOT NULL REFERENCES messages(id),
  channel text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (message_id, channel)
);
CREATE INDEX deliveries_pending ON deliveries (created_at) WHERE status = 'pending';
