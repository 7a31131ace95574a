package io.earthling.manager.internal.intake;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobSpec;
import io.earthling.api.Split;
import io.earthling.manager.InputLimits;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.ResultBatch;
import java.nio.charset.StandardCharsets;
import java.util.function.LongUnaryOperator;

/**
 * What an assistant reports, checked where it enters the manager, before the dispatcher sees it (issue 16, items
 * 7 and 8): error texts and logs are cut to {@code limits.maxErrorBytes} / {@code limits.maxLogBytes} with a note;
 * a split's children pass the same checks as a submission (type and queue names, payload size and JSON) and its
 * size and depth are capped ({@code limits.maxSplitChildren}, {@code limits.maxSplitDepth}). A refused split fails
 * its attempt for good (the same handler would answer the same) and no child is stored.
 */
public final class OutcomeIntake {
    private final int maxPayloadBytes;
    private final InputLimits limits;
    /** How many split parents stand above a job (counting at most {@code maxSplitDepth + 1}). */
    private final LongUnaryOperator depth;

    public OutcomeIntake(int maxPayloadBytes, InputLimits limits, LongUnaryOperator depth) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.limits = limits;
        this.depth = depth;
    }

    public ResultBatch apply(ResultBatch batch) {
        ResultBatch.Builder out = null;
        for (int i = 0; i < batch.getOutcomesCount(); i++) {
            JobOutcome o = batch.getOutcomes(i);
            JobOutcome checked = check(o);
            if (checked != o) {
                out = out == null ? batch.toBuilder() : out;
                out.setOutcomes(i, checked);
            }
        }
        return out == null ? batch : out.build();
    }

    private JobOutcome check(JobOutcome o) {
        JobOutcome.Builder b = null;
        if (o.getError().length() > limits.maxErrorBytes() / 2 && utf8(o.getError()) > limits.maxErrorBytes()) {
            b = o.toBuilder().setError(cut(o.getError(), limits.maxErrorBytes(), "error"));
        }
        if (o.getLog().length() > limits.maxLogBytes() / 4 && utf8(o.getLog()) > limits.maxLogBytes()) {
            b = (b == null ? o.toBuilder() : b).setLog(cut(o.getLog(), limits.maxLogBytes(), "log"));
        }
        if (o.getSplit() && o.getStatus() == JobOutcome.Status.SUCCEEDED) {
            String refusal = splitRefusal(o);
            if (refusal != null) {
                b = (b == null ? o.toBuilder() : b).setStatus(JobOutcome.Status.FAILED).setSplit(false).clearResult()
                        .setRetryable(false).setError("split refused: " + refusal);
            }
        }
        return b == null ? o : b.build();
    }

    private String splitRefusal(JobOutcome o) {
        Split split;
        try {
            split = Split.parse(o.getResult().toString(StandardCharsets.UTF_8))
                    .orElseThrow(() -> new EarthlingException("not a split"));
        } catch (RuntimeException e) {
            return "malformed: " + e.getMessage();
        }
        String refusal = refusal(split, maxPayloadBytes, limits.maxSplitChildren());
        if (refusal != null) {
            return refusal;
        }
        long above = depth.applyAsLong(o.getJobId());
        if (above + 1 > limits.maxSplitDepth()) {
            return "its children would be " + (above + 1) + " splits deep, over the limit of " + limits.maxSplitDepth()
                    + " (limits.maxSplitDepth)";
        }
        return null;
    }

    /** Why a split may not be stored (its size, a child a submission could not be), or null. */
    static String refusal(Split s, int maxPayloadBytes, int maxChildren) {
        if (s.size() > maxChildren) {
            return s.size() + " children, over the limit of " + maxChildren + " (limits.maxSplitChildren)";
        }
        String why = name("gather type", s.gatherType());
        for (int i = 0; why == null && i < s.children().size(); i++) {
            JobSpec c = s.children().get(i);
            why = name("child " + i + " type", c.type());
            why = why != null ? why : name("child " + i + " queue", c.queue());
            why = why != null ? why : payload("child " + i, c.payload(), maxPayloadBytes);
            if (why == null && c.maxAttempts() < 0) {
                why = "child " + i + ": maxAttempts must not be negative";
            }
        }
        if (why == null && s.indexedCount() > 0) {
            why = name("indexed type", s.indexedType());
            why = why != null ? why : payload("indexed base", s.indexedPayload(), maxPayloadBytes);
        }
        return why;
    }

    private static String name(String what, String name) {
        return name != null && Intake.NAME.matcher(name).matches() ? null
                : what + ": not a valid name: \"" + name + "\" (letters, digits, _ . -; at most 64)";
    }

    private static String payload(String what, String payload, int maxBytes) {
        int size = utf8(payload);
        if (size > maxBytes) {
            return what + " payload: " + size + " bytes is over the limit of " + maxBytes + " bytes (limits.maxPayloadBytes)";
        }
        return Intake.isJson(payload) ? null : what + " payload: not valid JSON";
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The head of {@code text} within {@code maxBytes} UTF-8 bytes, the note included. */
    static String cut(String text, int maxBytes, String what) {
        String note = "\n[" + what + " cut at " + maxBytes + " bytes: " + utf8(text) + " bytes reported]";
        int keep = Math.max(0, maxBytes - utf8(note));
        int chars = Math.min(text.length(), keep);
        while (chars > 0 && utf8(text.substring(0, chars)) > keep) {
            chars = Math.max(0, chars - Math.max(1, (utf8(text.substring(0, chars)) - keep) / 3));
        }
        if (chars > 0 && Character.isHighSurrogate(text.charAt(chars - 1))) {
            chars--;
        }
        return text.substring(0, chars) + note;
    }
}
