/**
 * Lifecycle of background loops, shared by every role. {@link io.earthling.lifecycle.BackgroundLoop} owns one
 * thread, the wait between iterations (on an injected {@link io.earthling.core.MonotonicClock}, ended early by a
 * nudge) and start/stop; each loop of a role is a small subclass of it, started and stopped by its owner (the
 * manager's leadership, the assistant's node). {@link io.earthling.lifecycle.TestSignal} lets tests wait on what a
 * loop did instead of sleeping. Depends on nothing of the roles.
 */
package io.earthling.lifecycle;
