package io.earthling.manager.internal.leadership;

import io.earthling.manager.internal.dispatch.Dispatcher;
import io.earthling.manager.internal.dispatch.Waiters;
import io.earthling.manager.internal.write.WriteBatcher;

/** What exists while this manager leads: its epoch and the components bound to it. */
public record Leadership(long epoch, String self, Dispatcher dispatcher, WriteBatcher writer, Waiters waiters) {
}
