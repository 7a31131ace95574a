package io.earthling.store;

import java.util.List;

/** The central log store: one text per job attempt. Not fenced: a log is a record of what happened, not state. */
public interface JobLogs {

    /** Keeps each attempt's log once; an attempt that has one already keeps the first (a resent outcome). */
    void keep(List<AttemptLog> logs);

    /** A job's attempt logs, oldest attempt first. */
    List<AttemptLog> of(long jobId);
}
