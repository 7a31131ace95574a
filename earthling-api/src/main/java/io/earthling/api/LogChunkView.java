package io.earthling.api;

/** New output of one attempt of a job; {@code end}: the job is final ({@code state}) and nothing more follows. */
public record LogChunkView(int attempt, String text, boolean attemptDone, String state, boolean end) {
}
