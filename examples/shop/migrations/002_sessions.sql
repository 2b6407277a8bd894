-- Server-side sessions for the back office.

CREATE TABLE sessions (
    id         VARCHAR(64) PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX ix_sessions_user_id ON sessions (user_id);
