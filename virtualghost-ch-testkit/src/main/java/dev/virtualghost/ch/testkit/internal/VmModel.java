package dev.virtualghost.ch.testkit.internal;

import dev.virtualghost.ch.testkit.PvhTestGuest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The VMM's VM state machine, shaped after CH's {@code vmm/src/lib.rs} request handlers: {@code vm.create}
 * only stores the config; {@code vm.boot} instantiates the VM; {@code vm.shutdown} drops the VM but keeps the
 * config (info then reports {@code Created}); add-* before boot only edit the config (204), after boot
 * hot-plug and answer a PciDeviceInfo (200); restore leaves the VM paused. Devices live in {@link VmDevices},
 * snapshot files in {@link SnapshotFiles}, the guest's serial output in {@link GuestConsole}.
 *
 * <p>Thread-safe: every call is synchronized, as CH serves API requests one at a time on its VMM thread. Holds
 * no resources; the owner closes the {@link EventMonitor} it writes to.
 */
public final class VmModel {
    /** CH's VmState names as they appear in {@code vm.info}. */
    public enum State {
        Created,
        Running,
        Shutdown,
        Paused
    }

    /** An answer: status and a JSON body (null for none). */
    public record Reply(int status, String json) {
        static Reply noContent() {
            return new Reply(204, null);
        }

        static Reply ok(Object tree) {
            return new Reply(200, Json.write(tree));
        }
    }

    private static final long DEFAULT_MEMORY = 512L << 20;
    static final String NOT_CREATED = "VM is not created";
    static final String NOT_RUNNING = "VM is not running";

    private final EventMonitor events;
    private final String version;
    final VmDevices devices = new VmDevices();
    Map<String, Object> config;
    State state;
    long memoryActual;
    boolean vcpuRemovalPending;
    /** The test guest the running VM booted (null for any other kernel or when not booted). */
    private PvhTestGuest testGuest;
    /** A test guest booted by the last request, for the owner to play; taken once. */
    private PvhTestGuest bootedGuest;

    private long bootGeneration;

    /** What CH answers for VFIO on a host without {@code /dev/vfio} (measured on CH v54), after the action. */
    static final String[] NO_VFIO = {
        "Error from device manager",
        "Cannot create a VFIO device",
        "failed to open /dev/vfio/vfio container: No such file or directory (os error 2)",
        "No such file or directory (os error 2)"
    };

    private final boolean vfioAvailable;

    /**
     * A VMM without a VM that reports {@code version} and writes its events to {@code events}; with
     * {@code vfioAvailable} false (a host without {@code /dev/vfio}, like the reference host) VFIO devices fail at
     * boot and hot-plug with CH's chain.
     */
    public VmModel(EventMonitor events, String version, boolean vfioAvailable) {
        this.events = events;
        this.version = version;
        this.vfioAvailable = vfioAvailable;
    }

    /** Applies one already-routed and body-checked request. */
    public synchronized Reply handle(Endpoint endpoint, Object body) throws ApiFailure {
        switch (endpoint) {
            case VMM_PING:
                return ping();
            case VMM_SHUTDOWN:
                return vmmShutdown();
            case VM_INFO:
                return info();
            case VM_COUNTERS:
                return counters();
            case VM_CREATE:
                return create(body);
            case VM_DELETE:
                return delete();
            case VM_BOOT:
                return boot();
            case VM_PAUSE:
                return pauseOrResume(
                        "The VM could not be paused", "pause", State.Running, State.Paused, "pausing", "paused");
            case VM_RESUME:
                return pauseOrResume(
                        "The VM could not resume", "resume", State.Paused, State.Running, "resuming", "resumed");
            case VM_SHUTDOWN:
                return shutdown();
            case VM_REBOOT:
                return reboot();
            case VM_POWER_BUTTON:
                return powerButton();
            case VM_NMI:
                return transition("Error triggering NMI", State.Running, State.Running, null, null);
            case VM_RESIZE:
                return VmResizes.resize(this, body);
            case VM_RESIZE_DISK:
                return VmResizes.resizeDisk(this, body);
            case VM_RESIZE_ZONE:
                return VmResizes.resizeZone(this, body);
            case VM_REMOVE_DEVICE:
                return removeDevice(body);
            case VM_SNAPSHOT:
                return snapshot(body);
            case VM_COREDUMP:
                return coredump(body);
            case VM_RESTORE:
                return restore(body);
            case VM_SEND_MIGRATION:
                requireBooted("The VM could not be migrated");
                throw ApiFailure.api(
                        500,
                        "The VM could not be migrated",
                        "simulator: live migration is not simulated by FakeCloudHypervisor");
            case VM_RECEIVE_MIGRATION:
                throw ApiFailure.api(
                        500,
                        "The VM could not receive migration",
                        "simulator: live migration is not simulated by FakeCloudHypervisor");
            default:
                return addDevice(endpoint, body);
        }
    }

    /** The current state, or null when no VM is created. */
    public synchronized State state() {
        return config == null ? null : state;
    }

    private Reply ping() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("build_version", "v" + version);
        r.put("version", version);
        r.put("pid", ProcessHandle.current().pid());
        // CH's default build features (cargo build --release: kvm, io_uring), in the order v54 lists them.
        r.put("features", List.of("io_uring", "kvm"));
        return Reply.ok(r);
    }

    private Reply vmmShutdown() {
        // CH's vmm_shutdown runs vm_delete: a booted VM shuts down, then the config goes ("vm deleted").
        delete();
        events.emit("vmm", "shutdown", null);
        // CH answers 200 with an empty JSON body here (Content-Length 0), not 204.
        return new Reply(200, "");
    }

    /**
     * The test guest a request just booted, once (the owner plays its power-off); null when none.
     */
    public synchronized PvhTestGuest takeBootedGuest() {
        PvhTestGuest g = bootedGuest;
        bootedGuest = null;
        return g;
    }

    /** Counts boots, so that a guest's delayed power-off never hits a later boot. */
    public synchronized long bootGeneration() {
        return bootGeneration;
    }

    /**
     * The guest of boot {@code generation} powers off (ACPI S5): true when it did, false when that boot is over,
     * null when the VM is paused (a paused vCPU runs nothing: try again later).
     */
    public synchronized Boolean guestPowerOff(long generation) {
        if (config == null || generation != bootGeneration || (state != State.Running && state != State.Paused)) {
            return false;
        }
        if (state == State.Paused) {
            return null;
        }
        emit("shutdown");
        state = State.Shutdown;
        testGuest = null;
        return true;
    }

    /**
     * The VM's hybrid vsock socket path while a VM with a vsock device is booted, else null (measured on CH v54:
     * the socket appears at {@code vm.boot} and goes at {@code vm.shutdown}).
     */
    public synchronized String vsockSocket() {
        boolean booted = config != null && (state == State.Running || state == State.Paused);
        return booted ? Json.string(Json.object(config, "vsock"), "socket") : null;
    }

    /** Whether a guest vsock driver runs: the VM runs a guest other than the tiny test guest. */
    public synchronized boolean guestHasVsockDriver() {
        return config != null && state == State.Running && testGuest == null;
    }

    /** When the VMM ends: CH deletes the VM ("vm deleted") if one exists. */
    public synchronized void vmmExit() {
        delete();
    }

    private Reply info() throws ApiFailure {
        if (config == null) {
            throw ApiFailure.api(404, "The VM info is not available", NOT_CREATED);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", config);
        r.put("state", state.name());
        r.put("memory_actual_size", memoryActual);
        r.put("device_tree", devices.tree(config));
        return new Reply(200, Json.write(VmDevices.stripInternal(r)));
    }

    private Reply counters() throws ApiFailure {
        requireBooted("The VM info is not available");
        return Reply.ok(devices.counters(config));
    }

    @SuppressWarnings("unchecked")
    private Reply create(Object body) throws ApiFailure {
        if (config != null) {
            throw ApiFailure.api(500, "The VM could not be created", "VM is already created");
        }
        config = ChDefaults.apply((Map<String, Object>) body);
        state = State.Created;
        devices.created(config);
        Long size = Json.number(Json.object(config, "memory"), "size");
        memoryActual = size == null ? DEFAULT_MEMORY : size;
        return Reply.noContent();
    }

    private Reply delete() {
        if (config != null) {
            if (state == State.Running || state == State.Paused) {
                emit("shutdown");
            }
            config = null;
            state = null;
            testGuest = null;
            emit("deleted");
        }
        return Reply.noContent();
    }

    private Reply boot() throws ApiFailure {
        String what = "The VM could not boot";
        if (config == null) {
            throw ApiFailure.api(404, what, "VM config is missing");
        }
        if (state == State.Running || state == State.Paused) {
            throw ApiFailure.api(500, what, "VM is already created");
        }
        if (!vfioAvailable && !DeviceKind.DEVICE.list(config).isEmpty()) {
            // CH opens the VFIO container while it builds the devices, before the vCPUs run.
            emit("booting");
            throw ApiFailure.api(500, concat(what, NO_VFIO));
        }
        emit("booting");
        devices.assignAddresses(config);
        state = State.Running;
        vcpuRemovalPending = false;
        emit("booted");
        bootGeneration++;
        testGuest = GuestConsole.boot(config);
        bootedGuest = testGuest;
        return Reply.noContent();
    }

    private Reply shutdown() throws ApiFailure {
        requireBooted("The VM could not shutdown");
        emit("shutdown");
        testGuest = null;
        // CH drops the Vm object and keeps the config, so info reports Created and boot works again.
        state = State.Created;
        return Reply.noContent();
    }

    private Reply reboot() throws ApiFailure {
        requireState("The VM could not reboot", State.Running);
        emit("rebooting");
        emit("rebooted");
        if (testGuest != null) {
            // The guest runs again from its entry point: it prints its lines again and acts by its mode.
            // CH rebuilds the devices on reboot and reopens the serial file, truncating it (measured: one copy).
            bootGeneration++;
            GuestConsole.truncateSerial(config);
            GuestConsole.boot(config);
            bootedGuest = testGuest;
        }
        return Reply.noContent();
    }

    private Reply pauseOrResume(String what, String verb, State from, State to, String during, String after)
            throws ApiFailure {
        if (config == null) {
            throw ApiFailure.api(404, what, NOT_CREATED);
        }
        if (state != State.Running && state != State.Paused) {
            throw ApiFailure.api(500, what, NOT_RUNNING);
        }
        if (state != from) {
            // CH announces the action, then its migratable components refuse the transition (measured: a second
            // pause emits "vm pausing" and fails, a resume while running emits "vm resuming" and fails).
            emit(during);
            throw ApiFailure.api(
                    500,
                    what,
                    "Cannot " + verb + " VM",
                    "Failed to " + verb + " migratable component",
                    "Invalid transition: InvalidStateTransition(" + state + ", " + to + ")");
        }
        emit(during);
        state = to;
        emit(after);
        return Reply.noContent();
    }

    private Reply powerButton() throws ApiFailure {
        requireState("Error triggering power button", State.Running);
        if (testGuest != null) {
            // The tiny test guest has no ACPI driver: the button press goes unanswered (measured on the real CH).
            return Reply.noContent();
        }
        // The simulated guest obeys ACPI power-off at once.
        emit("shutdown");
        state = State.Shutdown;
        return Reply.noContent();
    }

    private Reply transition(String what, State from, State to, String during, String after) throws ApiFailure {
        requireState(what, from);
        if (during != null) {
            emit(during);
        }
        state = to;
        if (after != null) {
            emit(after);
        }
        return Reply.noContent();
    }

    private Reply removeDevice(Object body) throws ApiFailure {
        String what = "The device could not be removed from the VM";
        requireBooted(what);
        String id = Json.string(body, "id");
        if (devices.remove(config, id)) {
            return Reply.noContent();
        }
        // Measured on CH v54: 404 with the device manager's message.
        throw ApiFailure.api(
                404,
                what,
                "Error from device manager",
                "Failed to find device corresponding to the given identifier: " + id);
    }

    private Reply snapshot(Object body) throws ApiFailure {
        String what = "The VM could not be snapshotted";
        requireState(what, State.Paused);
        Path dir = SnapshotFiles.path(what, Json.string(body, "destination_url"));
        emit("snapshotting");
        SnapshotFiles.writeSnapshot(what, dir, config, memoryActual);
        emit("snapshotted");
        return Reply.noContent();
    }

    private Reply coredump(Object body) throws ApiFailure {
        String what = "The VM could not be coredumped";
        requireState(what, State.Paused);
        Path file = SnapshotFiles.path(what, Json.string(body, "destination_url"));
        SnapshotFiles.writeCoredump(what, file);
        return Reply.noContent();
    }

    @SuppressWarnings("unchecked")
    private Reply restore(Object body) throws ApiFailure {
        String what = "The VM could not be restored";
        if (config != null) {
            throw ApiFailure.api(500, what, "VM is already created");
        }
        Path dir = SnapshotFiles.path(what, Json.string(body, "source_url"));
        emit("restoring");
        config = SnapshotFiles.readConfig(what, dir);
        Long mem = SnapshotFiles.readMemoryActual(what, dir);
        memoryActual = mem == null ? DEFAULT_MEMORY : mem;
        devices.restored(config);
        state = Boolean.TRUE.equals(((Map<String, Object>) body).get("resume")) ? State.Running : State.Paused;
        emit("restored");
        return Reply.noContent();
    }

    private Reply addDevice(Endpoint endpoint, Object body) throws ApiFailure {
        DeviceKind kind = DeviceKind.of(endpoint);
        if (config == null) {
            throw ApiFailure.api(404, kind.failure, NOT_CREATED);
        }
        Map<String, Object> device = devices.add(config, kind, body);
        if (state != State.Running && state != State.Paused) {
            // Not booted: CH only records the device in the config and answers 204.
            return Reply.noContent();
        }
        if (kind == DeviceKind.DEVICE && !vfioAvailable) {
            devices.remove(config, Json.string(device, "id"));
            throw ApiFailure.api(500, concat(kind.failure, NO_VFIO));
        }
        String bdf = devices.hotPlug(device);
        return Reply.ok(Map.of("id", Json.string(device, "id"), "bdf", bdf));
    }

    void requireBooted(String what) throws ApiFailure {
        if (config == null) {
            throw ApiFailure.api(404, what, NOT_CREATED);
        }
        if (state != State.Running && state != State.Paused) {
            throw ApiFailure.api(500, what, NOT_RUNNING);
        }
    }

    private void requireState(String what, State wanted) throws ApiFailure {
        if (config == null) {
            throw ApiFailure.api(404, what, NOT_CREATED);
        }
        if (state != wanted) {
            throw ApiFailure.api(
                    500,
                    what,
                    "Invalid VM state transition: " + state + " to requested operation (needs " + wanted + ")");
        }
    }

    void emit(String event) {
        events.emit("vm", event, null);
    }

    private static String[] concat(String head, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = head;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static long orElse(Long value, long fallback) {
        return value == null ? fallback : value;
    }
}
