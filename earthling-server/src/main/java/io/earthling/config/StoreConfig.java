package io.earthling.config;

/** The job database; user and password are null when the URL needs none. */
public record StoreConfig(String url, String user, String password, int pool) {
    @Override
    public String toString() {
        return "StoreConfig[url=" + url + ", user=" + user + ", password=" + (password == null ? null : "***")
                + ", pool=" + pool + "]";
    }
}
