package io.earthling.store;

/** What {@link JobStore#add} did with one job: its id, and whether it is new or an earlier job with its idempotency key. */
public record Inserted(long id, boolean created) {
}
