-- API tokens (issue #16, item 3): the SHA-256 digest (hex) of each token, never the token itself. A token is 256
-- random bits, so a plain digest cannot be guessed back. roles: words separated by commas (read,submit,...).
-- expires_ms and revoked_ms: epoch millis, 0 for never / not revoked. A revoked row stays until a token of the same
-- name replaces it, so `earthling tokens list` shows it.
CREATE TABLE api_tokens (
    name        VARCHAR(100) PRIMARY KEY,
    digest      CHAR(64)     NOT NULL,
    roles       VARCHAR(100) NOT NULL,
    created_ms  BIGINT       NOT NULL,
    expires_ms  BIGINT       NOT NULL DEFAULT 0,
    revoked_ms  BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT api_tokens_digest_unique UNIQUE (digest)
);
