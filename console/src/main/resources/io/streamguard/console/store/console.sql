-- The console's own tables, beside the connector-filled moderation_events and moderation_verdicts.
-- Idempotent: run on every console start.
CREATE TABLE IF NOT EXISTS console_users (
    name          text PRIMARY KEY,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('moderator', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- One live claim per event; an expired row is free for anyone and is overwritten by the next claim.
CREATE TABLE IF NOT EXISTS console_claims (
    event_id   text PRIMARY KEY,
    moderator  text NOT NULL,
    claimed_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS console_claims_moderator ON console_claims (moderator);

-- action is free text on purpose (sign-in, verdict, policy, ...): a new kind needs no migration.
CREATE TABLE IF NOT EXISTS console_audit (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    actor    text NOT NULL,
    action   text NOT NULL,
    event_id text,
    detail   jsonb
);
CREATE INDEX IF NOT EXISTS console_audit_event ON console_audit (event_id, at);
