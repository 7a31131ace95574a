package io.earthling.manager.internal.split;

import static io.earthling.api.JobState.SUCCEEDED;

import com.fasterxml.jackson.databind.node.TextNode;
import io.earthling.store.SplitStore;
import java.util.List;

/**
 * The gather job's payload, {@code {"parent": id, "input": <parent payload>, "results": [...], "errors": [...]}},
 * read from the children a page at a time; {@code errors} only when a child failed.
 */
final class GatherInput {
    static final int PAGE = 1000;

    private GatherInput() {
    }

    static String build(SplitStore splits, SplitStore.Parent p) {
        StringBuilder results = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        boolean failed = false;
        long after = 0;
        int n = 0;
        List<SplitStore.Child> page;
        do {
            page = splits.children(p.id(), after, PAGE);
            for (SplitStore.Child c : page) {
                if (n++ > 0) {
                    results.append(',');
                    errors.append(',');
                }
                boolean ok = c.state() == SUCCEEDED;
                results.append(ok && c.result() != null ? c.result() : "null");
                errors.append(ok ? "null" : TextNode.valueOf(c.state() + ": " + c.error()).toString());
                failed |= !ok;
                after = c.id();
            }
        } while (page.size() == PAGE);
        return "{\"parent\":" + p.id() + ",\"input\":" + p.payload() + ",\"results\":[" + results + "]"
                + (failed ? ",\"errors\":[" + errors + "]" : "") + "}";
    }
}
