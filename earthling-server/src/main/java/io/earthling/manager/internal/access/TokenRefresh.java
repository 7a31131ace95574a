package io.earthling.manager.internal.access;

import io.earthling.core.MonotonicClock;
import io.earthling.lifecycle.BackgroundLoop;
import java.time.Duration;

/**
 * Every {@link ApiTokens#REFRESH}: reads the token table again, so that a revoke or a new token on another manager
 * takes effect here within that time. A thread of its own: a slow store delays nothing else.
 */
public final class TokenRefresh extends BackgroundLoop {
    private final ApiTokens tokens;

    public TokenRefresh(ApiTokens tokens, MonotonicClock clock) {
        super("earthling-token-refresh", clock, ApiTokens.REFRESH);
        this.tokens = tokens;
    }

    @Override
    protected Duration iterate() {
        tokens.refresh();
        return ApiTokens.REFRESH;
    }
}
