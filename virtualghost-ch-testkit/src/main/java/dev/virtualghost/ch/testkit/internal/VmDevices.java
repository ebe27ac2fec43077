package dev.virtualghost.ch.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated VM's devices, kept inside its config as CH keeps them in VmConfig: default ids, the 409 answers
 * for a duplicate id or path, PCI addresses given at boot and hot-plug, removal, and the per-device views of
 * {@code vm.info} and {@code vm.counters}.
 *
 * <p>Not thread-safe: {@link VmModel} calls it under its own lock. Holds no resources.
 */
final class VmDevices {
    /** The simulator's bookkeeping key for a device's PCI address; {@link #stripInternal} hides it. */
    private static final String BDF = "__bdf";

    private int nextBdf;

    /** Names the devices of a new config that arrive without an id and restarts PCI slot numbering. */
    void created(Map<String, Object> config) {
        nextBdf = 1;
        for (DeviceKind kind : DeviceKind.values()) {
            for (Map<String, Object> d : kind.list(config)) {
                d.putIfAbsent("id", kind.prefix + kind.list(config).indexOf(d));
            }
        }
    }

    /** Restarts PCI slot numbering and gives every device of a restored config its address. */
    void restored(Map<String, Object> config) {
        nextBdf = 1;
        assignAddresses(config);
    }

    /** Gives every device of the config the next free PCI address, as booting the VM does. */
    void assignAddresses(Map<String, Object> config) {
        for (Map<String, Object> d : all(config)) {
            d.put(BDF, nextBdf());
        }
    }

    /**
     * Adds a device to the config as {@code vm.add-*} does, naming it when it has no id.
     *
     * @return the stored device
     * @throws ApiFailure 409 for an id or path already in use, 500 for a second vsock device
     */
    Map<String, Object> add(Map<String, Object> config, DeviceKind kind, Object body) throws ApiFailure {
        String what = kind.failure;
        @SuppressWarnings("unchecked")
        Map<String, Object> device = new LinkedHashMap<>((Map<String, Object>) body);
        String id = Json.string(device, "id");
        String path = Json.string(device, "path");
        for (Map<String, Object> other : all(config)) {
            if (id != null && id.equals(Json.string(other, "id"))) {
                throw ApiFailure.api(409, what, "Failed to validate config", "Identifier " + id + " is not unique");
            }
            if (path != null && path.equals(Json.string(other, "path"))) {
                throw ApiFailure.api(
                        409, what, "Failed to validate config", "Path " + path + " is used more than once");
            }
        }
        if (kind == DeviceKind.VSOCK && !kind.list(config).isEmpty()) {
            throw ApiFailure.api(500, what, "Failed to validate config", "Only one vsock device is supported");
        }
        if (id == null) {
            id = kind.prefix + kind.list(config).size();
            device.put("id", id);
        }
        List<Map<String, Object>> list = kind.list(config);
        list.add(device);
        kind.store(config, list);
        return device;
    }

    /** Gives a device added to a booted VM the next free PCI address, as hot-plug does; returns the address. */
    String hotPlug(Map<String, Object> device) {
        String bdf = nextBdf();
        device.put(BDF, bdf);
        return bdf;
    }

    /** Removes the device with this id from the config; false when there is none. */
    boolean remove(Map<String, Object> config, String id) {
        for (DeviceKind kind : DeviceKind.values()) {
            if (kind.list(config).removeIf(d -> id != null && id.equals(Json.string(d, "id")))) {
                kind.store(config);
                return true;
            }
        }
        return false;
    }

    /** The device with this id, or null. */
    Map<String, Object> find(Map<String, Object> config, String id) {
        for (Map<String, Object> d : all(config)) {
            if (id != null && id.equals(Json.string(d, "id"))) {
                return d;
            }
        }
        return null;
    }

    /** The {@code device_tree} of {@code vm.info}: one node per device, keyed by id. */
    Map<String, Object> tree(Map<String, Object> config) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Map<String, Object> device : all(config)) {
            String id = Json.string(device, "id");
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", id);
            node.put("resources", List.of());
            node.put("children", List.of());
            node.put("pci_bdf", device.get(BDF));
            tree.put(id, node);
        }
        return tree;
    }

    /** The answer of {@code vm.counters}: zeroed byte counters per device id. */
    Map<String, Object> counters(Map<String, Object> config) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (Map<String, Object> device : all(config)) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("read_bytes", 0L);
            c.put("write_bytes", 0L);
            r.put(Json.string(device, "id"), c);
        }
        return r;
    }

    /** Every device of every kind in the config; empty for a null config. */
    private static List<Map<String, Object>> all(Map<String, Object> config) {
        List<Map<String, Object>> all = new ArrayList<>();
        if (config != null) {
            for (DeviceKind kind : DeviceKind.values()) {
                all.addAll(kind.list(config));
            }
        }
        return all;
    }

    private String nextBdf() {
        return String.format("0000:00:%02x.0", nextBdf++);
    }

    /** A copy of a tree without the simulator's bookkeeping keys (those starting with "__"). */
    static Object stripInternal(Object tree) {
        if (tree instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!String.valueOf(k).startsWith("__")) {
                    copy.put(String.valueOf(k), stripInternal(v));
                }
            });
            return copy;
        }
        if (tree instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(stripInternal(v)));
            return copy;
        }
        return tree;
    }
}
