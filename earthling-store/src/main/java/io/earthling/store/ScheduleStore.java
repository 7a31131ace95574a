package io.earthling.store;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The {@code schedules} table. Writes are fenced like {@link JobStore}'s: a stale epoch throws {@link FencedException}. */
public interface ScheduleStore {

    List<StoredSchedule> all();

    Optional<StoredSchedule> get(String name);

    /** Adds a schedule; false (and nothing written) if its name is taken. */
    boolean create(StoredSchedule schedule, long epoch);

    /** False if there was none by that name. */
    boolean delete(String name, long epoch);

    /**
     * Makes the schedules of origin "config" exactly {@code fromConfig}: new ones are added, changed ones updated
     * (their last tick kept), ones no longer listed deleted. One transaction.
     */
    void syncConfig(List<StoredSchedule> fromConfig, long epoch);

    /**
     * Fires one tick in one transaction: moves the schedule's last tick from {@code expectedLastTickMs} to
     * {@code tickMs} and inserts {@code job}. Returns the new job's id; empty if the last tick is no longer the
     * expected one or the schedule is gone (nothing written), or if {@code job}'s idempotency key names a job that
     * exists already (the tick advances, no job is added).
     */
    OptionalLong fire(String name, long expectedLastTickMs, long tickMs, NewJob job, long epoch);
}
