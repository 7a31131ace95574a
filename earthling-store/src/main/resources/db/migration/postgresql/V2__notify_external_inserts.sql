-- Rows inserted by other systems (picked_up = false) wake the manager at once; its sweep is the backstop.
CREATE INDEX jobs_not_picked_up ON jobs (id) WHERE NOT picked_up;

CREATE FUNCTION earthling_notify_insert() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('earthling_jobs', '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER jobs_external_insert AFTER INSERT ON jobs
    FOR EACH ROW WHEN (NOT NEW.picked_up) EXECUTE FUNCTION earthling_notify_insert();
