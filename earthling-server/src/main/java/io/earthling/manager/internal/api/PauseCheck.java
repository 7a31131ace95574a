package io.earthling.manager.internal.api;

import java.util.List;

/** Whether pausing or resuming a queue by name is safe: an unknown name is most likely a typo, and pausing it would
 * silently make a new, empty queue while the meant one runs on. */
final class PauseCheck {
    private PauseCheck() {
    }

    /** Why the request is refused, or null to go ahead. {@code known}: the queues the leader knows (configured, or used by a job it holds or held). */
    static String refusal(String queue, boolean pause, boolean create, List<String> known) {
        java.util.SortedSet<String> all = new java.util.TreeSet<>(known);
        all.add("default"); // where every job without a queue goes
        if (create || all.contains(queue)) {
            return null;
        }
        String names = String.join(", ", all);
        return "no queue named \"" + queue + "\" (known: " + names + ")" + (pause
                ? "; to pause it before its first job, pass --create (REST: ?create=true)" : "");
    }
}
