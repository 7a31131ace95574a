package io.earthling.faults;

import io.earthling.api.JobState;
import io.earthling.core.Transitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a job's {@code job_events} in order as a walk through {@link Transitions}: each event names the state its
 * change led to ({@code FAILED}, {@code RETRIED}, {@code REFUSED}, {@code NODE_LOST}, {@code NODE_LEFT},
 * {@code RECOVERED} and {@code DELIVERY_FAILED} lead back to {@code PENDING}, every other kind is the state's own
 * name), starting from {@code PENDING}. A step the table forbids is illegal, except one folded through
 * {@code RUNNING} (the leader writes a job lost on its last attempt ASSIGNED -> DEAD via RUNNING as one change with
 * one event). A kind this table does not know (one added to the server later) is not judged: the step after it is
 * taken as it comes, and the kind is reported by {@link #unknown}, so the table here can be brought up to date.
 */
final class EventCheck {
    // Events named for why a job went back to PENDING: a failed attempt, an operator's retry, a refusal by a node
    // without an idle worker, a lost or departed node, a new leader's recovery of jobs nobody reported.
    private static final Map<String, JobState> LEADS_TO = Map.of("FAILED", JobState.PENDING, "RETRIED", JobState.PENDING,
            "REFUSED", JobState.PENDING, "NODE_LOST", JobState.PENDING, "NODE_LEFT", JobState.PENDING,
            "RECOVERED", JobState.PENDING, "DELIVERY_FAILED", JobState.PENDING);

    record Illegal(long jobId, String from, String to) {
        @Override
        public String toString() {
            return "job " + jobId + ": " + from + " -> " + to;
        }
    }

    private EventCheck() {
    }

    /** The illegal steps of one job's event kinds, oldest first. */
    static List<Illegal> check(long jobId, List<String> kinds) {
        List<Illegal> out = new ArrayList<>();
        JobState state = JobState.PENDING;
        for (String kind : kinds) {
            JobState to = leadsTo(kind);
            if (to != null && state != null) {
                boolean folded = Transitions.allowed(state, JobState.RUNNING)
                        && Transitions.allowed(JobState.RUNNING, to);
                if (!Transitions.allowed(state, to) && !folded) {
                    out.add(new Illegal(jobId, state.name(), to.name()));
                }
            }
            state = to;
        }
        return out;
    }

    /** The kinds among {@code kinds} that name no state and no known way back to PENDING. */
    static List<String> unknown(List<String> kinds) {
        return kinds.stream().filter(k -> leadsTo(k) == null).toList();
    }

    private static JobState leadsTo(String kind) {
        JobState to = LEADS_TO.get(kind);
        if (to != null) {
            return to;
        }
        try {
            return JobState.valueOf(kind);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
