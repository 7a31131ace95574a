package io.earthling.manager;

/**
 * Where the manager serves its REST API, dashboard and metrics; {@code token} null lets anyone who reaches the
 * port in, else every call needs it. Bodies over {@code maxBodyBytes} are refused.
 */
public record HttpSettings(String address, int port, String token, int maxBodyBytes) {
}
