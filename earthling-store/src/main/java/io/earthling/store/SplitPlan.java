package io.earthling.store;

import io.earthling.api.Split;

/** A split to store with its parent's move to WAITING; children without a queue take {@code parentQueue}. */
public record SplitPlan(Split split, String parentQueue) {
}
