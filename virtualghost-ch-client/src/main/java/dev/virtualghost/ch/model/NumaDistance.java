package dev.virtualghost.ch.model;

/**
 * The distance from one guest NUMA node to another, as the guest's ACPI SLIT reports it.
 *
 * <p>Mirrors the {@code NumaDistance} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param destination the other node's guest NUMA id; required
 * @param distance the relative distance (10 means local); required
 */
public record NumaDistance(Integer destination, Integer distance) {}
