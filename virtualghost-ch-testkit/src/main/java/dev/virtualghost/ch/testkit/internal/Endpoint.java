package dev.virtualghost.ch.testkit.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The 31 paths of CH's API with the method and body each takes, as routed by CH's
 * {@code vmm/src/api/http/mod.rs} (GET for the three queries, PUT for every action).
 */
public enum Endpoint {
    VMM_PING("vmm.ping", "GET", Body.NONE),
    VMM_SHUTDOWN("vmm.shutdown", "PUT", Body.NONE),
    VM_INFO("vm.info", "GET", Body.NONE),
    VM_COUNTERS("vm.counters", "GET", Body.NONE),
    VM_CREATE("vm.create", "PUT", Body.REQUIRED),
    VM_DELETE("vm.delete", "PUT", Body.NONE),
    VM_BOOT("vm.boot", "PUT", Body.NONE),
    VM_PAUSE("vm.pause", "PUT", Body.NONE),
    VM_RESUME("vm.resume", "PUT", Body.NONE),
    VM_SHUTDOWN("vm.shutdown", "PUT", Body.NONE),
    VM_REBOOT("vm.reboot", "PUT", Body.NONE),
    VM_POWER_BUTTON("vm.power-button", "PUT", Body.NONE),
    VM_RESIZE("vm.resize", "PUT", Body.REQUIRED),
    VM_RESIZE_DISK("vm.resize-disk", "PUT", Body.REQUIRED),
    VM_RESIZE_ZONE("vm.resize-zone", "PUT", Body.REQUIRED),
    VM_ADD_DEVICE("vm.add-device", "PUT", Body.REQUIRED),
    VM_REMOVE_DEVICE("vm.remove-device", "PUT", Body.REQUIRED),
    VM_ADD_DISK("vm.add-disk", "PUT", Body.REQUIRED),
    VM_ADD_FS("vm.add-fs", "PUT", Body.REQUIRED),
    VM_ADD_GENERIC_VHOST_USER("vm.add-generic-vhost-user", "PUT", Body.REQUIRED),
    VM_ADD_PMEM("vm.add-pmem", "PUT", Body.REQUIRED),
    VM_ADD_NET("vm.add-net", "PUT", Body.REQUIRED),
    VM_ADD_VSOCK("vm.add-vsock", "PUT", Body.REQUIRED),
    VM_ADD_VDPA("vm.add-vdpa", "PUT", Body.REQUIRED),
    VM_ADD_USER_DEVICE("vm.add-user-device", "PUT", Body.REQUIRED),
    VM_SNAPSHOT("vm.snapshot", "PUT", Body.REQUIRED),
    VM_COREDUMP("vm.coredump", "PUT", Body.REQUIRED),
    VM_NMI("vm.nmi", "PUT", Body.NONE),
    VM_RESTORE("vm.restore", "PUT", Body.REQUIRED),
    VM_RECEIVE_MIGRATION("vm.receive-migration", "PUT", Body.REQUIRED),
    VM_SEND_MIGRATION("vm.send-migration", "PUT", Body.REQUIRED);

    /** Whether the endpoint takes a JSON body. */
    public enum Body {
        NONE,
        REQUIRED
    }

    /** CH's API prefix. */
    public static final String PREFIX = "/api/v1/";

    private static final Map<String, Endpoint> BY_PATH = new HashMap<>();

    static {
        for (Endpoint e : values()) {
            BY_PATH.put(PREFIX + e.command, e);
        }
    }

    private final String command;
    private final String method;
    private final Body body;

    Endpoint(String command, String method, Body body) {
        this.command = command;
        this.method = method;
        this.body = body;
    }

    /** The endpoint at a request path (query string ignored), or null for an unknown path. */
    public static Endpoint ofPath(String path) {
        int q = path.indexOf('?');
        return BY_PATH.get(q < 0 ? path : path.substring(0, q));
    }

    /** The endpoint named like ch-remote's command ({@code "vm.boot"}); IllegalArgumentException if unknown. */
    public static Endpoint ofCommand(String command) {
        Endpoint e = BY_PATH.get(PREFIX + command);
        if (e == null) {
            throw new IllegalArgumentException("unknown CH endpoint: " + command);
        }
        return e;
    }

    public String command() {
        return command;
    }

    public String method() {
        return method;
    }

    public Body body() {
        return body;
    }

    public String path() {
        return PREFIX + command;
    }
}
