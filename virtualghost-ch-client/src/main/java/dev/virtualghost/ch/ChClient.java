package dev.virtualghost.ch;

import com.squareup.moshi.Types;
import dev.virtualghost.ch.internal.Preload;
import dev.virtualghost.ch.model.ReceiveMigrationData;
import dev.virtualghost.ch.model.RestoreConfig;
import dev.virtualghost.ch.model.SendMigrationData;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmCoredumpData;
import dev.virtualghost.ch.model.VmCounters;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.model.VmResize;
import dev.virtualghost.ch.model.VmResizeDisk;
import dev.virtualghost.ch.model.VmResizeZone;
import dev.virtualghost.ch.model.VmSnapshotConfig;
import dev.virtualghost.ch.model.VmmPingResponse;
import java.io.FileDescriptor;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A typed client for the Cloud Hypervisor REST API on its Unix socket ({@code --api-socket path=...}), with one
 * method per endpoint, named like {@code ch-remote}.
 *
 * <pre>{@code
 * try (ChClient ch = ChClient.builder().socket(Path.of("/run/vg/ch.sock")).build()) {
 *     System.out.println(ch.ping().version());
 *     ch.create(VmConfig.builder()
 *             .payload(PayloadConfig.ofKernel("/boot/vmlinux", "console=hvc0"))
 *             .cpus(CpusConfig.of(2)).memory(MemoryConfig.ofSize(1L << 30))
 *             .devices(List.of(DeviceConfig.ofPath("/sys/bus/pci/devices/0000:01:00.0/", "gpu0")))
 *             .build());
 *     ch.boot();
 * }
 * }</pre>
 *
 * <p>Calls run on the caller's thread over one kept-alive HTTP/1.1 connection (OkHttp over junixsocket) and are
 * never retried, because CH's PUTs are not idempotent. Every call has a deadline:
 * {@link ChClientBuilder#callTimeout} for quick calls, {@link ChClientBuilder#longCallTimeout} for the calls that do
 * real work inside CH ({@code vm.create}, {@code vm.boot}, {@code vm.shutdown}, {@code vm.delete},
 * {@code vm.snapshot}, {@code vm.restore}, {@code vm.coredump} and the migrations), and
 * {@link ChClientBuilder#callTimeout(String, Duration)} per endpoint.
 *
 * <p>Failures are {@link ChException}s: {@link ChApiException} when CH answered an error status (with CH's whole
 * error chain), {@link ChConnectionException} when the socket is missing or dead, {@link ChTimeoutException} when
 * no answer came in time, {@link ChProtocolException} when the answer is unreadable.
 *
 * <p>Thread-safe; share one instance. {@link #close()} releases the connection pool and OkHttp's threads; it does
 * not stop CH (see {@link #shutdownVmm()}).
 */
public final class ChClient extends ChHotplugApi implements AutoCloseable {

    private static final Type COUNTERS = Types.newParameterizedType(
            Map.class, String.class, Types.newParameterizedType(Map.class, String.class, Long.class));

    ChClient(
            Path socket,
            Duration callTimeout,
            Duration longCallTimeout,
            Map<String, Duration> timeouts,
            Duration connectTimeout) {
        super(new ChCalls(socket, callTimeout, longCallTimeout, timeouts, connectTimeout));
    }

    /**
     * Returns a new builder; {@link ChClientBuilder#socket(Path)} is required.
     *
     * @return a builder with the default timeouts
     */
    public static ChClientBuilder builder() {
        return new ChClientBuilder();
    }

    /**
     * Returns the API socket this client talks to.
     *
     * @return the socket path given to {@link ChClientBuilder#socket(Path)}
     */
    public Path socket() {
        return calls.socket();
    }

    /**
     * Returns the deadline this client applies to calls to one endpoint.
     *
     * @param endpoint an endpoint name as the spec writes it, e.g. {@code "vm.boot"}
     * @return the per-endpoint timeout if one was set, else the long or quick call timeout that applies
     */
    public Duration timeoutFor(String endpoint) {
        return calls.timeoutFor(endpoint);
    }

    /**
     * Asks the VMM for its version, pid and features; works without a VM. ({@code GET /api/v1/vmm.ping})
     *
     * @return the parsed {@code VmmPingResponse}
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint(value = "vmm.ping", method = "GET")
    public VmmPingResponse ping() {
        return ChCalls.parse("GET", "vmm.ping", calls.send("GET", "vmm.ping", null), VmmPingResponse.class);
    }

    /**
     * Shuts the VMM process down (and the VM with it). ({@code PUT /api/v1/vmm.shutdown})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vmm.shutdown")
    public void shutdownVmm() {
        calls.send("PUT", "vmm.shutdown", null);
    }

    /**
     * Returns the VM's config, state and device tree. ({@code GET /api/v1/vm.info})
     *
     * @return the parsed {@code VmInfo}
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint(value = "vm.info", method = "GET")
    public VmInfo info() {
        return ChCalls.parse("GET", "vm.info", calls.send("GET", "vm.info", null), VmInfo.class);
    }

    /**
     * Returns the VM's info, or empty when the VMM has no VM (CH answers 404 "VM is not created"), e.g. to
     * check whether a {@code vm.create} is still needed. ({@code GET /api/v1/vm.info})
     *
     * @return the parsed {@code VmInfo}, or empty without a VM
     * @throws ChException when the call fails otherwise (see the class Javadoc)
     */
    @ChEndpoint(value = "vm.info", method = "GET")
    public Optional<VmInfo> infoIfCreated() {
        try {
            return Optional.of(info());
        } catch (ChApiException e) {
            if (e.status() == 404 && e.errors().stream().anyMatch(m -> m.contains("not created"))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Returns the per-device counters of the VM. ({@code GET /api/v1/vm.counters})
     *
     * @return the parsed {@code VmCounters}
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint(value = "vm.counters", method = "GET")
    public VmCounters counters() {
        return new VmCounters(ChCalls.parse("GET", "vm.counters", calls.send("GET", "vm.counters", null), COUNTERS));
    }

    /**
     * Creates the VM from a config; it is not booted yet. ({@code PUT /api/v1/vm.create})
     *
     * @param config the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.create")
    public void create(VmConfig config) {
        Objects.requireNonNull(config, "config == null");
        calls.send("PUT", "vm.create", ChCalls.json(config));
    }

    /**
     * Deletes the VM (shutting it down first if needed). ({@code PUT /api/v1/vm.delete})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.delete")
    public void delete() {
        calls.send("PUT", "vm.delete", null);
    }

    /**
     * Boots the created VM; returns when the VMM has started it, not when the guest OS is ready. ({@code PUT /api/v1/vm.boot})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.boot")
    public void boot() {
        calls.send("PUT", "vm.boot", null);
    }

    /**
     * Pauses the running VM. ({@code PUT /api/v1/vm.pause})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.pause")
    public void pause() {
        calls.send("PUT", "vm.pause", null);
    }

    /**
     * Resumes the paused VM. ({@code PUT /api/v1/vm.resume})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.resume")
    public void resume() {
        calls.send("PUT", "vm.resume", null);
    }

    /**
     * Shuts the VM down (the VMM keeps running). ({@code PUT /api/v1/vm.shutdown})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.shutdown")
    public void shutdown() {
        calls.send("PUT", "vm.shutdown", null);
    }

    /**
     * Reboots the VM. ({@code PUT /api/v1/vm.reboot})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.reboot")
    public void reboot() {
        calls.send("PUT", "vm.reboot", null);
    }

    /**
     * Presses the VM's ACPI power button so the guest can shut down cleanly. ({@code PUT /api/v1/vm.power-button})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.power-button")
    public void powerButton() {
        calls.send("PUT", "vm.power-button", null);
    }

    /**
     * Changes the VM's vCPUs, memory or balloon; CH answers 429 while a previous resize is in progress. ({@code PUT /api/v1/vm.resize})
     *
     * @param resize the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.resize")
    public void resize(VmResize resize) {
        Objects.requireNonNull(resize, "resize == null");
        calls.send("PUT", "vm.resize", ChCalls.json(resize));
    }

    /**
     * Resizes a disk of the VM. ({@code PUT /api/v1/vm.resize-disk})
     *
     * @param resize the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.resize-disk")
    public void resizeDisk(VmResizeDisk resize) {
        Objects.requireNonNull(resize, "resize == null");
        calls.send("PUT", "vm.resize-disk", ChCalls.json(resize));
    }

    /**
     * Resizes a memory zone of the VM. ({@code PUT /api/v1/vm.resize-zone})
     *
     * @param resize the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.resize-zone")
    public void resizeZone(VmResizeZone resize) {
        Objects.requireNonNull(resize, "resize == null");
        calls.send("PUT", "vm.resize-zone", ChCalls.json(resize));
    }

    /**
     * Snapshots the paused VM to a destination URL. ({@code PUT /api/v1/vm.snapshot})
     *
     * @param snapshot the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.snapshot")
    public void snapshot(VmSnapshotConfig snapshot) {
        Objects.requireNonNull(snapshot, "snapshot == null");
        calls.send("PUT", "vm.snapshot", ChCalls.json(snapshot));
    }

    /**
     * Writes a guest core dump of the paused VM. ({@code PUT /api/v1/vm.coredump})
     *
     * @param coredump the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.coredump")
    public void coredump(VmCoredumpData coredump) {
        Objects.requireNonNull(coredump, "coredump == null");
        calls.send("PUT", "vm.coredump", ChCalls.json(coredump));
    }

    /**
     * Injects a non-maskable interrupt into the VM. ({@code PUT /api/v1/vm.nmi})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.nmi")
    public void nmi() {
        calls.send("PUT", "vm.nmi", null);
    }

    /**
     * Restores a VM from a snapshot (instead of vm.create). ({@code PUT /api/v1/vm.restore})
     *
     * @param restore the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.restore")
    public void restore(RestoreConfig restore) {
        Objects.requireNonNull(restore, "restore == null");
        calls.send("PUT", "vm.restore", ChCalls.json(restore));
    }

    /**
     * Restores a VM from a snapshot (instead of vm.create). Also passes {@code fds} to CH as SCM_RIGHTS ancillary data on a dedicated connection (for
     * example tap or VFIO cdev descriptors opened by a more privileged process). The descriptors stay owned
     * (and must be closed) by the caller.
     *
     * @param restore the request body
     * @param fds the descriptors to pass, at least one
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.restore")
    public void restore(RestoreConfig restore, FileDescriptor... fds) {
        Objects.requireNonNull(restore, "restore == null");
        calls.sendWithFds("vm.restore", ChCalls.json(restore), fds);
    }

    /**
     * Receives a VM migrating in. ({@code PUT /api/v1/vm.receive-migration})
     *
     * @param migration the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.receive-migration")
    public void receiveMigration(ReceiveMigrationData migration) {
        Objects.requireNonNull(migration, "migration == null");
        calls.send("PUT", "vm.receive-migration", ChCalls.json(migration));
    }

    /**
     * Receives a VM migrating in. Also passes {@code fds} to CH as SCM_RIGHTS ancillary data on a dedicated connection (for
     * example tap or VFIO cdev descriptors opened by a more privileged process). The descriptors stay owned
     * (and must be closed) by the caller.
     *
     * @param migration the request body
     * @param fds the descriptors to pass, at least one
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.receive-migration")
    public void receiveMigration(ReceiveMigrationData migration, FileDescriptor... fds) {
        Objects.requireNonNull(migration, "migration == null");
        calls.sendWithFds("vm.receive-migration", ChCalls.json(migration), fds);
    }

    /**
     * Sends the VM to another VMM. ({@code PUT /api/v1/vm.send-migration})
     *
     * @param migration the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.send-migration")
    public void sendMigration(SendMigrationData migration) {
        Objects.requireNonNull(migration, "migration == null");
        calls.send("PUT", "vm.send-migration", ChCalls.json(migration));
    }

    /** Releases the connection pool and OkHttp's threads; idempotent. Does not stop CH. */
    @Override
    public void close() {
        calls.close();
    }

    @Override
    public String toString() {
        return "ChClient[" + calls.socket() + "]";
    }

    /**
     * Starts loading and initialising this client's libraries (OkHttp, junixsocket and its native library, the JSON
     * adapters of the first calls) on a daemon thread, and returns at once. Optional: a short-lived process such as
     * a CLI calls it first thing, so that this one-time cost of a cold JVM (several hundred milliseconds) overlaps
     * its own start-up instead of delaying its first API call. Only the first call in a JVM starts it.
     *
     * @return completes (never exceptionally) when the preload has finished; the same future on every call
     */
    public static CompletableFuture<Void> preload() {
        return Preload.start();
    }
}
