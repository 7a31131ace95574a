-- Split and gather (issue 5). A job that answered with a split is WAITING for its children (parent_id = it),
-- then GATHERING while its one gather job (gather_job = TRUE, parent_id = it) runs. children_left counts its
-- children (and then its gather job) not yet final, children_failed those that ended DEAD or CANCELLED: both move
-- in the same transaction that finalises a child, so no one ever holds the list of children in memory.
ALTER TABLE jobs DROP CONSTRAINT jobs_state_known;
ALTER TABLE jobs ADD CONSTRAINT jobs_state_known
    CHECK (state IN ('PENDING', 'ASSIGNED', 'RUNNING', 'SUCCEEDED', 'DEAD', 'CANCELLED', 'WAITING', 'GATHERING'));

ALTER TABLE jobs ADD COLUMN children_left INT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN children_failed INT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN gather_type VARCHAR(200);
ALTER TABLE jobs ADD COLUMN child_policy VARCHAR(24);
ALTER TABLE jobs ADD COLUMN gather_job BOOLEAN NOT NULL DEFAULT FALSE;

CREATE INDEX jobs_parent ON jobs (parent_id, id);
