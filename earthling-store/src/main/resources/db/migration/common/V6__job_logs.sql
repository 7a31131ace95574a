-- What each attempt's handler logged (JobContext.log, a command's stderr), as its outcome reported it. The worker
-- caps one attempt's log at 64 KiB (LogBuffer.LIMIT_CHARS) and notes what it dropped.
CREATE TABLE job_logs (
    job_id  BIGINT  NOT NULL,
    attempt INT     NOT NULL,
    at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    text    VARCHAR NOT NULL,
    PRIMARY KEY (job_id, attempt)
);
