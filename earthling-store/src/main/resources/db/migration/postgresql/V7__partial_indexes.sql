-- Most jobs have neither an idempotency key nor a parent. Partial indexes keep those jobs out of both indexes, so
-- inserting a job and each of its state changes (a new row version) write two index entries fewer.
ALTER TABLE jobs DROP CONSTRAINT jobs_idempotency_key;
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (queue, idempotency_key) WHERE idempotency_key IS NOT NULL;

DROP INDEX jobs_parent;
CREATE INDEX jobs_parent ON jobs (parent_id, id) WHERE parent_id IS NOT NULL;
