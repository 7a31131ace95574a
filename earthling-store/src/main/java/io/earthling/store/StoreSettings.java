package io.earthling.store;

/** How to reach the database. {@code user}/{@code password} may be null. */
public record StoreSettings(String url, String user, String password, int poolSize) {
    public static StoreSettings of(String url) {
        return new StoreSettings(url, null, null, 4);
    }
}
