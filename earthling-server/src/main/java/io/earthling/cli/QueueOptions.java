package io.earthling.cli;

import picocli.CommandLine.Option;

/** Where a submitted job waits and how often it may be tried: shared by {@code submit} and {@code schedules add}. */
final class QueueOptions {
    @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE", description = "queue (default: default)")
    String queue;

    @Option(names = "--priority", paramLabel = "N", description = "higher runs first within the queue")
    int priority;

    @Option(names = "--max-attempts", paramLabel = "N", description = "attempts before the job is DEAD (default: its type's, else its"
            + " queue's, else 3)")
    int maxAttempts;
}
