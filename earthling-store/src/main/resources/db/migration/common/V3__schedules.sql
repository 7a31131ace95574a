-- Recurring jobs. last_tick_ms is the latest tick already handled (epoch millis): the manager creates a tick's job
-- and advances it in one fenced transaction, only if it still holds the value the manager read, so a tick fires
-- once across restarts and failover.
CREATE TABLE schedules (
    name          VARCHAR(100)  PRIMARY KEY,
    cron          VARCHAR(200)  NOT NULL,
    time_zone     VARCHAR(64)   NOT NULL DEFAULT 'UTC',
    queue         VARCHAR(100)  NOT NULL DEFAULT 'default',
    type          VARCHAR(200)  NOT NULL,
    payload       VARCHAR       NOT NULL DEFAULT '{}',
    priority      INT           NOT NULL DEFAULT 0,
    max_attempts  INT           NOT NULL DEFAULT 3,
    origin        VARCHAR(16)   NOT NULL DEFAULT 'api',
    last_tick_ms  BIGINT        NOT NULL,
    epoch         BIGINT        NOT NULL DEFAULT 0,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT schedules_origin_known CHECK (origin IN ('api', 'config'))
);
