package io.earthling.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * How large one gRPC message may be, and how the roles keep the batches they build below it. Every server and
 * channel refuses a message over {@link #MAX_MESSAGE_BYTES}; a batch of jobs or outcomes (a delivery, a worker's
 * answers, an assistant's result report) is cut at about {@link #BATCH_BYTES}, so eighty 1 MB payloads travel in
 * several messages instead of failing together. One item alone may exceed the batch size, never the maximum: the
 * payload and result caps ({@code limits.maxPayloadBytes}, {@code limits.maxResultBytes}) stay far below it.
 * docs/architecture.md, "Messages".
 */
public final class MessageSizes {
    /** The largest message any role sends or accepts. */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;
    /** Where a batch that one role builds for another is cut. */
    public static final long BATCH_BYTES = 8 << 20;
    /**
     * Where the manager stops filling an answer with jobs (a Wait, a List page): the rest of a Wait's final jobs are
     * left as pending for the next call, a page ends early. One job with its payload and result always fits.
     */
    public static final long ANSWER_BYTES = 32 << 20;

    private MessageSizes() {
    }

    /**
     * {@code items} in order, cut into runs whose sizes add up to at most {@code budget}; an item larger than the
     * budget travels alone. Never an empty run.
     */
    public static <T> List<List<T>> chunks(List<T> items, ToLongFunction<T> size, long budget) {
        List<List<T>> runs = new ArrayList<>();
        List<T> run = new ArrayList<>();
        long bytes = 0;
        for (T item : items) {
            long s = size.applyAsLong(item);
            if (!run.isEmpty() && bytes + s > budget) {
                runs.add(run);
                run = new ArrayList<>();
                bytes = 0;
            }
            run.add(item);
            bytes += s;
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }
}
