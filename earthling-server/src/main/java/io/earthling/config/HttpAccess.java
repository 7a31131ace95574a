package io.earthling.config;

/** Who may use the HTTP API and dashboard ({@code token} null: anyone who reaches the port), and its body cap. */
public record HttpAccess(String token, int maxBodyBytes) {
}
