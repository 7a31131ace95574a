package io.earthling.store;

import java.util.List;

/**
 * The nodes the leader knows, kept so that a new leader knows whom to wait for after a takeover
 * (docs/architecture.md, "Takeover"). Written rarely (a node joins, leaves or goes offline), read once per takeover.
 */
public interface NodeRoster {
    /** Replaces the list, unless a leader of a newer epoch wrote it already. */
    void save(long epoch, List<String> nodeIds);

    /** The node ids last saved. */
    List<String> load();
}
