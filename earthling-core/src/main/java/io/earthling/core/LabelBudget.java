package io.earthling.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded set of metric label values (queue or type names, which clients choose): the first {@code max}
 * distinct values seen keep their name, every later one is counted as {@link #OTHER}, so a client cannot make
 * the metrics grow without limit (issue 16, item 8). Thread-safe; values admitted stay admitted.
 */
public final class LabelBudget {
    public static final String OTHER = "other";

    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    public LabelBudget(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        this.max = max;
    }

    /** {@code value} itself while it fits in the budget (or was admitted before), else {@link #OTHER}. */
    public String label(String value) {
        if (admitted.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (admitted.size() < max) {
                admitted.add(value);
                return value;
            }
        }
        return admitted.contains(value) ? value : OTHER;
    }
}
