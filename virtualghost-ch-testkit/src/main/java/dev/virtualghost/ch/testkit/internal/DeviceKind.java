package dev.virtualghost.ch.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each hot-pluggable device lives in a VmConfig, with the id prefix CH's device manager gives devices
 * that arrive without one ({@code _disk0}, {@code _net1}, {@code _vfio0}...).
 */
enum DeviceKind {
    DEVICE(Endpoint.VM_ADD_DEVICE, "devices", "_vfio", "The device could not be added to the VM"),
    DISK(Endpoint.VM_ADD_DISK, "disks", "_disk", "The new disk could not be added to the VM"),
    FS(Endpoint.VM_ADD_FS, "fs", "_fs", "The new fs could not be added to the VM"),
    GENERIC_VHOST_USER(
            Endpoint.VM_ADD_GENERIC_VHOST_USER,
            "generic_vhost_user",
            "_generic_vhost_user",
            "The new generic vhost-user device could not be added to the VM"),
    PMEM(Endpoint.VM_ADD_PMEM, "pmem", "_pmem", "The new pmem device could not be added to the VM"),
    NET(Endpoint.VM_ADD_NET, "net", "_net", "The network device could not be added to the VM"),
    VSOCK(Endpoint.VM_ADD_VSOCK, "vsock", "_vsock", "The vsock device could not be added to the VM"),
    VDPA(Endpoint.VM_ADD_VDPA, "vdpa", "_vdpa", "The vDPA device could not be added to the VM"),
    USER_DEVICE(
            Endpoint.VM_ADD_USER_DEVICE,
            "user_devices",
            "_user_device",
            "The user device could not be added to the VM");

    final Endpoint endpoint;
    final String key;
    final String prefix;
    final String failure;

    DeviceKind(Endpoint endpoint, String key, String prefix, String failure) {
        this.endpoint = endpoint;
        this.key = key;
        this.prefix = prefix;
        this.failure = failure;
    }

    static DeviceKind of(Endpoint endpoint) {
        for (DeviceKind k : values()) {
            if (k.endpoint == endpoint) {
                return k;
            }
        }
        throw new IllegalArgumentException("not an add-* endpoint: " + endpoint);
    }

    /** The devices of this kind as a mutable list view over the config (vsock is a single object in CH). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(Map<String, Object> config) {
        Object value = config.get(key);
        if (value instanceof List<?> l) {
            if (!(l instanceof ArrayList<?>)) {
                List<Map<String, Object>> copy = new ArrayList<>((List<Map<String, Object>>) l);
                config.put(key, copy);
                return copy;
            }
            return (List<Map<String, Object>>) l;
        }
        List<Map<String, Object>> single = new ArrayList<>();
        if (value instanceof Map<?, ?> m) {
            single.add((Map<String, Object>) m);
        }
        return single;
    }

    /** Writes back a list that {@link #list} may have detached (the vsock case). */
    void store(Map<String, Object> config, List<Map<String, Object>> list) {
        if (this == VSOCK) {
            if (list.isEmpty()) {
                config.remove(key);
            } else {
                config.put(key, list.get(0));
            }
        } else {
            config.put(key, list);
        }
    }

    void store(Map<String, Object> config) {
        if (this == VSOCK) {
            config.remove(key);
        }
    }
}
