package dev.virtualghost.ch.model;

/**
 * Optional CPU features CH exposes to the guest.
 *
 * <p>Mirrors the {@code CpuFeatures} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param amx if true, the guest may use Intel AMX (x86_64, when the host supports it)
 */
public record CpuFeatures(Boolean amx) {}
