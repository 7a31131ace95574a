package io.earthling.core;

import java.util.Comparator;
import java.util.PriorityQueue;

/** One named queue in the dispatcher's memory: its due jobs, its limits and its turn. */
final class Lane {
    /** Higher priority first, then earlier due, then older; written out, as it runs ~30 times per job taken. */
    private static final Comparator<ReadyJob> ORDER = (a, b) -> a.priority() != b.priority()
            ? Integer.compare(b.priority(), a.priority())
            : a.runAtMs() != b.runAtMs() ? Long.compare(a.runAtMs(), b.runAtMs()) : Long.compare(a.id(), b.id());
    /** A queue whose attempts all fail keeps this share of its weight: enough to notice when it heals. */
    static final double FLOOR = 0.05;

    final String name;
    final PriorityQueue<ReadyJob> jobs = new PriorityQueue<>(ORDER);
    QueueLimits limits = QueueLimits.DEFAULT;
    boolean paused;
    int active;
    int delayed;
    double current;
    /** Moving average of recent attempts' success, 1 = all succeed. */
    double health = 1;
    private double tokens = 1;
    private long tokensAtMs;

    Lane(String name) {
        this.name = name;
    }

    boolean eligible(long nowMs) {
        if (paused || jobs.isEmpty() || limits.concurrency() > 0 && active >= limits.concurrency()) {
            return false;
        }
        return limits.ratePerSecond() <= 0 || refill(nowMs) >= 1;
    }

    double effectiveWeight() {
        return limits.weight() * Math.max(FLOOR, health);
    }

    void took() {
        if (limits.ratePerSecond() > 0) {
            tokens -= 1;
        }
    }

    void outcome(boolean ok) {
        health = 0.9 * health + (ok ? 0.1 : 0);
    }

    /** When the next token comes, for a rate-limited lane with due jobs; else -1. */
    long nextTokenAtMs(long nowMs) {
        if (limits.ratePerSecond() <= 0 || paused || jobs.isEmpty() || refill(nowMs) >= 1) {
            return -1;
        }
        return nowMs + (long) Math.ceil((1 - tokens) * 1000 / limits.ratePerSecond());
    }

    private double refill(long nowMs) {
        if (nowMs > tokensAtMs) {
            double burst = Math.max(1, limits.ratePerSecond());
            tokens = Math.min(burst, tokens + (nowMs - tokensAtMs) * limits.ratePerSecond() / 1000);
            tokensAtMs = nowMs;
        }
        return tokens;
    }
}
