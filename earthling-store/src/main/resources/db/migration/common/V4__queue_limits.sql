-- At most concurrency_limit jobs with one concurrency_key run at a time (a customer, a tenant, a host).
ALTER TABLE jobs ADD COLUMN concurrency_key VARCHAR(200);
ALTER TABLE jobs ADD COLUMN concurrency_limit INT NOT NULL DEFAULT 1;

-- Queues an operator paused; a new leader keeps them paused.
CREATE TABLE queue_state (
    queue      VARCHAR(100) PRIMARY KEY,
    paused     BOOLEAN      NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
