package dev.virtualghost.ch.model;

import java.util.Map;
import java.util.Objects;

/**
 * The answer of {@code vm.counters}: per device id, per counter name, a count. The JSON is a bare object
 * ({@code {"_disk0": {"read_bytes": 4096}}}), so the client reads it as a map and wraps it. Immutable.
 *
 * @param devices counters keyed by device id, then by counter name
 */
public record VmCounters(Map<String, Map<String, Long>> devices) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param devices counters keyed by device id, then by counter name
     */
    public VmCounters {
        Objects.requireNonNull(devices, "devices == null");
        java.util.LinkedHashMap<String, Map<String, Long>> copy = new java.util.LinkedHashMap<>();
        devices.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(v))));
        devices = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Returns one counter, or empty when CH did not report it.
     *
     * @param device the device id, e.g. {@code _disk0}
     * @param name the counter name, e.g. {@code read_bytes}
     * @return the count
     */
    public java.util.OptionalLong counter(String device, String name) {
        Map<String, Long> d = devices.get(device);
        Long v = d == null ? null : d.get(name);
        return v == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(v);
    }
}
