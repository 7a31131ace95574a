package io.earthling.api.internal;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The split texts {@link io.earthling.api.Split#toResult()} made lately in this process, by identity: a worker
 * takes a handler's answer as a split only if it is one of these very strings, so a result that merely reads like
 * a split (an {@code echo} of a payload) stays a result (issue 16, item 7). Weakly held, the last {@value #KEPT}.
 */
public final class IssuedSplits {
    static final int KEPT = 256;
    private static final Deque<WeakReference<String>> ISSUED = new ArrayDeque<>();

    private IssuedSplits() {
    }

    /** Called by {@code Split.toResult()} with the text it returns. */
    public static synchronized String issue(String text) {
        ISSUED.addFirst(new WeakReference<>(text));
        if (ISSUED.size() > KEPT) {
            ISSUED.removeLast();
        }
        return text;
    }

    /** Whether {@code result} is the very string a {@code Split.toResult()} of this process returned. */
    public static synchronized boolean issued(String result) {
        if (result == null) {
            return false;
        }
        for (WeakReference<String> r : ISSUED) {
            if (r.get() == result) {
                return true;
            }
        }
        return false;
    }
}
