package io.earthling.manager.internal.dispatch;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter on the upper half: 1 s, 2 s, 4 s ... capped at 5 minutes. */
final class Backoff {
    private static final long BASE_MS = 1_000;
    private static final long MAX_MS = 300_000;

    private Backoff() {
    }

    static long delayMs(int attempt) {
        long exp = Math.min(MAX_MS, BASE_MS << Math.min(20, Math.max(0, attempt - 1)));
        return exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
    }
}
