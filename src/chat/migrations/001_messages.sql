-- replaces: 001_init.sql
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
