-- H2 has no partial indexes and no NOTIFY: the manager's sweep finds rows other systems inserted.
CREATE INDEX jobs_not_picked_up ON jobs (picked_up, id);
