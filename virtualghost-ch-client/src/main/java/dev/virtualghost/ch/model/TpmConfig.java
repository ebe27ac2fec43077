package dev.virtualghost.ch.model;

/**
 * A TPM 2.0 device backed by a host swtpm process.
 *
 * <p>Mirrors the {@code TpmConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param socket Unix socket of the swtpm control channel; required
 */
public record TpmConfig(String socket) {}
