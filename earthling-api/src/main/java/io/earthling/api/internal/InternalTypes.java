package io.earthling.api.internal;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Job types the shipped handlers make for themselves, not for users to submit: a pipeline's {@code pipeline-pass}, and
 * the children and gathers of the example splits. They run like any type, but lists of known types shown to users
 * (unknown-type errors, a node's types) leave them out.
 */
public final class InternalTypes {
    /** The internal types, by name. */
    public static final Set<String> NAMES = Set.of("pipeline-pass", "wordcount-part", "wordcount-merge",
            "preprocess-doc", "preprocess-collect", "leaf");

    private InternalTypes() {
    }

    public static boolean is(String type) {
        return NAMES.contains(type);
    }

    /** {@code types} without the internal ones, sorted. */
    public static List<String> visible(Collection<String> types) {
        return types.stream().filter(t -> !is(t)).sorted().toList();
    }
}
