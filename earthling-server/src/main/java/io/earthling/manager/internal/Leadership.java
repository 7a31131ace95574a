package io.earthling.manager.internal;

/** What exists while this manager leads: its epoch and the components bound to it. */
public record Leadership(long epoch, String self, Dispatcher dispatcher, WriteBatcher writer, Waiters waiters) {
}
