package io.earthling.api;

import java.util.List;

/** A pipeline run: its job, and each stage's job and progress in stage order. */
public record PipelineView(String pipeline, JobView run, List<Stage> stages) {

    /** {@code state} is a job state or NOT_STARTED; {@code children} counts the stage's split, if it split. */
    public record Stage(String type, long jobId, String state, long children, long childrenFinal, String error) {
    }
}
