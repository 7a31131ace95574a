package io.earthling.store;

import java.util.List;

/**
 * The API tokens (issue #16, item 3), by name. Holds digests only. Written rarely (an admin creates or revokes a
 * token), read by each manager every few seconds. Not fenced: tokens are not part of the job table, and any
 * manager may write them.
 */
public interface TokenStore {
    /**
     * Stores {@code token}; false if a token of that name exists and is not revoked. A revoked token of that name is
     * replaced.
     */
    boolean create(StoredToken token);

    /** Every token, revoked ones too, by name. */
    List<StoredToken> all();

    /** Marks the token revoked at {@code atMs}; false if there is no such token or it was revoked already. */
    boolean revoke(String name, long atMs);
}
