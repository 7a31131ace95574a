package io.earthling.worker.internal;

/** An attempt's log lines, bounded so a chatty handler cannot exhaust memory; notes what it dropped. */
public final class LogBuffer {
    public static final int LIMIT_CHARS = 64 * 1024;

    private final StringBuilder text = new StringBuilder();
    private long droppedLines;

    public synchronized void append(String line) {
        String s = line == null ? "null" : line;
        if (droppedLines > 0 || text.length() + s.length() + 1 > LIMIT_CHARS) {
            droppedLines++;
            return;
        }
        text.append(s).append('\n');
    }

    @Override
    public synchronized String toString() {
        return droppedLines == 0 ? text.toString()
                : text + "[log truncated at " + LIMIT_CHARS + " chars: " + droppedLines + " more lines dropped]\n";
    }
}
