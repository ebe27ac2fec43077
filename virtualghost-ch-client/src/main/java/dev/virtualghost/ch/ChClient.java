package dev.virtualghost.ch;

import dev.virtualghost.ch.internal.FdTransport;
import dev.virtualghost.ch.internal.JsonCodec;
import dev.virtualghost.ch.internal.OkHttpTransport;
import dev.virtualghost.ch.internal.RawResponse;
import dev.virtualghost.ch.internal.Responses;
import dev.virtualghost.ch.model.DeviceConfig;
import dev.virtualghost.ch.model.DiskConfig;
import dev.virtualghost.ch.model.FsConfig;
import dev.virtualghost.ch.model.GenericVhostUserConfig;
import dev.virtualghost.ch.model.NetConfig;
import dev.virtualghost.ch.model.PciDeviceInfo;
import dev.virtualghost.ch.model.PmemConfig;
import dev.virtualghost.ch.model.ReceiveMigrationData;
import dev.virtualghost.ch.model.RestoreConfig;
import dev.virtualghost.ch.model.SendMigrationData;
import dev.virtualghost.ch.model.VdpaConfig;
import dev.virtualghost.ch.model.VmAddUserDevice;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmCoredumpData;
import dev.virtualghost.ch.model.VmCounters;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.model.VmRemoveDevice;
import dev.virtualghost.ch.model.VmResize;
import dev.virtualghost.ch.model.VmResizeDisk;
import dev.virtualghost.ch.model.VmResizeZone;
import dev.virtualghost.ch.model.VmSnapshotConfig;
import dev.virtualghost.ch.model.VmmPingResponse;
import dev.virtualghost.ch.model.VsockConfig;
import com.squareup.moshi.Types;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * never retried, because CH's PUTs are not idempotent. Every call has a deadline: {@link Builder#callTimeout}
 * for quick calls, {@link Builder#longCallTimeout} for the calls that do real work inside CH ({@code vm.create},
 * {@code vm.boot}, {@code vm.shutdown}, {@code vm.delete}, {@code vm.snapshot}, {@code vm.restore},
 * {@code vm.coredump} and the migrations), and {@link Builder#callTimeout(String, Duration)} per endpoint.
 *
 * <p>Failures are {@link ChException}s: {@link ChApiException} when CH answered an error status (with CH's whole
 * error chain), {@link ChConnectionException} when the socket is missing or dead, {@link ChTimeoutException} when
 * no answer came in time, {@link ChProtocolException} when the answer is unreadable.
 *
 * <p>Thread-safe; share one instance. {@link #close()} releases the connection pool and OkHttp's threads; it does
 * not stop CH (see {@link #shutdownVmm()}).
 */
public final class ChClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChClient.class);
    private static final Type COUNTERS = Types.newParameterizedType(Map.class, String.class,
            Types.newParameterizedType(Map.class, String.class, Long.class));

    /** The endpoints that do real work inside CH and get {@link Builder#longCallTimeout} by default. */
    static final Set<String> LONG_ENDPOINTS = Set.of("/vm.create", "/vm.boot", "/vm.shutdown", "/vm.delete",
            "/vm.snapshot", "/vm.restore", "/vm.coredump", "/vm.receive-migration", "/vm.send-migration");

    private final Path socket;
    private final Duration callTimeout;
    private final Duration longCallTimeout;
    private final Map<String, Duration> timeouts;
    private final OkHttpTransport transport;
    private final FdTransport fdTransport;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChClient(Builder b) {
        this.socket = b.socket;
        this.callTimeout = b.callTimeout;
        this.longCallTimeout = b.longCallTimeout;
        this.timeouts = Map.copyOf(b.timeouts);
        try {
            this.transport = new OkHttpTransport(socket, b.connectTimeout);
        } catch (IOException e) {
            throw new IllegalArgumentException("ch: cannot use " + socket + " as a Unix socket address: "
                    + e.getMessage(), e);
        }
        this.fdTransport = new FdTransport(socket, b.connectTimeout);
    }

    /** Returns a new builder; {@link Builder#socket(Path)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The API socket this client talks to. */
    public Path socket() {
        return socket;
    }

    /** The deadline used for calls to {@code endpoint} (e.g. {@code "/vm.boot"}). */
    public Duration timeoutFor(String endpoint) {
        Duration d = timeouts.get(endpoint);
        if (d != null) {
            return d;
        }
        return LONG_ENDPOINTS.contains(endpoint) ? longCallTimeout : callTimeout;
    }

    /**
     * Asks the VMM for its version, pid and features; works without a VM. ({@code GET /api/v1/vmm.ping})
     *
     * @return the parsed {@code VmmPingResponse}
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint(value = "/vmm.ping", method = "GET")
    public VmmPingResponse ping() {
        return parse("GET", "/vmm.ping", send("GET", "/vmm.ping", null), VmmPingResponse.class);
    }

    /**
     * Shuts the VMM process down (and the VM with it). ({@code PUT /api/v1/vmm.shutdown})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vmm.shutdown")
    public void shutdownVmm() {
        send("PUT", "/vmm.shutdown", null);
    }

    /**
     * Returns the VM's config, state and device tree. ({@code GET /api/v1/vm.info})
     *
     * @return the parsed {@code VmInfo}
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint(value = "/vm.info", method = "GET")
    public VmInfo info() {
        return parse("GET", "/vm.info", send("GET", "/vm.info", null), VmInfo.class);
    }

    /**
     * Returns the per-device counters of the VM. ({@code GET /api/v1/vm.counters})
     *
     * @return the parsed {@code VmCounters}
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint(value = "/vm.counters", method = "GET")
    public VmCounters counters() {
        return new VmCounters(parse("GET", "/vm.counters", send("GET", "/vm.counters", null), COUNTERS));
    }

    /**
     * Creates the VM from a config; it is not booted yet. ({@code PUT /api/v1/vm.create})
     *
     * @param config the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.create")
    public void create(VmConfig config) {
        Objects.requireNonNull(config, "config == null");
        send("PUT", "/vm.create", json(config));
    }

    /**
     * Deletes the VM (shutting it down first if needed). ({@code PUT /api/v1/vm.delete})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.delete")
    public void delete() {
        send("PUT", "/vm.delete", null);
    }

    /**
     * Boots the created VM; returns when the VMM has started it, not when the guest OS is ready. ({@code PUT /api/v1/vm.boot})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.boot")
    public void boot() {
        send("PUT", "/vm.boot", null);
    }

    /**
     * Pauses the running VM. ({@code PUT /api/v1/vm.pause})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.pause")
    public void pause() {
        send("PUT", "/vm.pause", null);
    }

    /**
     * Resumes the paused VM. ({@code PUT /api/v1/vm.resume})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.resume")
    public void resume() {
        send("PUT", "/vm.resume", null);
    }

    /**
     * Shuts the VM down (the VMM keeps running). ({@code PUT /api/v1/vm.shutdown})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.shutdown")
    public void shutdown() {
        send("PUT", "/vm.shutdown", null);
    }

    /**
     * Reboots the VM. ({@code PUT /api/v1/vm.reboot})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.reboot")
    public void reboot() {
        send("PUT", "/vm.reboot", null);
    }

    /**
     * Presses the VM's ACPI power button so the guest can shut down cleanly. ({@code PUT /api/v1/vm.power-button})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.power-button")
    public void powerButton() {
        send("PUT", "/vm.power-button", null);
    }

    /**
     * Changes the VM's vCPUs, memory or balloon; CH answers 429 while a previous resize is in progress. ({@code PUT /api/v1/vm.resize})
     *
     * @param resize the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.resize")
    public void resize(VmResize resize) {
        Objects.requireNonNull(resize, "resize == null");
        send("PUT", "/vm.resize", json(resize));
    }

    /**
     * Resizes a disk of the VM. ({@code PUT /api/v1/vm.resize-disk})
     *
     * @param resize the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.resize-disk")
    public void resizeDisk(VmResizeDisk resize) {
        Objects.requireNonNull(resize, "resize == null");
        send("PUT", "/vm.resize-disk", json(resize));
    }

    /**
     * Resizes a memory zone of the VM. ({@code PUT /api/v1/vm.resize-zone})
     *
     * @param resize the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.resize-zone")
    public void resizeZone(VmResizeZone resize) {
        Objects.requireNonNull(resize, "resize == null");
        send("PUT", "/vm.resize-zone", json(resize));
    }

    /**
     * Hot-plugs a VFIO device. ({@code PUT /api/v1/vm.add-device})
     *
     * @param device the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-device")
    public PciDeviceInfo addDevice(DeviceConfig device) {
        Objects.requireNonNull(device, "device == null");
        return parseOptional("PUT", "/vm.add-device", send("PUT", "/vm.add-device", json(device)), PciDeviceInfo.class);
    }

    /**
     * Hot-plugs a VFIO device. Also passes {@code fds} to CH as SCM_RIGHTS ancillary data on a dedicated connection (for
     * example tap or VFIO cdev descriptors opened by a more privileged process). The descriptors stay owned
     * (and must be closed) by the caller.
     *
     * @param device the request body
     * @param fds the descriptors to pass, at least one
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-device")
    public PciDeviceInfo addDevice(DeviceConfig device, FileDescriptor... fds) {
        Objects.requireNonNull(device, "device == null");
        requireFds(fds);
        return parseOptional("PUT", "/vm.add-device", sendWithFds("/vm.add-device", json(device), fds), PciDeviceInfo.class);
    }

    /**
     * Hot-unplugs a device by id. ({@code PUT /api/v1/vm.remove-device})
     *
     * @param device the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.remove-device")
    public void removeDevice(VmRemoveDevice device) {
        Objects.requireNonNull(device, "device == null");
        send("PUT", "/vm.remove-device", json(device));
    }

    /**
     * Hot-plugs a disk. ({@code PUT /api/v1/vm.add-disk})
     *
     * @param disk the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-disk")
    public PciDeviceInfo addDisk(DiskConfig disk) {
        Objects.requireNonNull(disk, "disk == null");
        return parseOptional("PUT", "/vm.add-disk", send("PUT", "/vm.add-disk", json(disk)), PciDeviceInfo.class);
    }

    /**
     * Hot-plugs a virtio-fs share. ({@code PUT /api/v1/vm.add-fs})
     *
     * @param fs the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-fs")
    public PciDeviceInfo addFs(FsConfig fs) {
        Objects.requireNonNull(fs, "fs == null");
        return parseOptional("PUT", "/vm.add-fs", send("PUT", "/vm.add-fs", json(fs)), PciDeviceInfo.class);
    }

    /**
     * Hot-plugs a generic vhost-user device. ({@code PUT /api/v1/vm.add-generic-vhost-user})
     *
     * @param device the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-generic-vhost-user")
    public PciDeviceInfo addGenericVhostUser(GenericVhostUserConfig device) {
        Objects.requireNonNull(device, "device == null");
        return parseOptional("PUT", "/vm.add-generic-vhost-user", send("PUT", "/vm.add-generic-vhost-user", json(device)), PciDeviceInfo.class);
    }

    /**
     * Hot-plugs a persistent-memory device. ({@code PUT /api/v1/vm.add-pmem})
     *
     * @param pmem the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-pmem")
    public PciDeviceInfo addPmem(PmemConfig pmem) {
        Objects.requireNonNull(pmem, "pmem == null");
        return parseOptional("PUT", "/vm.add-pmem", send("PUT", "/vm.add-pmem", json(pmem)), PciDeviceInfo.class);
    }

    /**
     * Hot-plugs a network device. ({@code PUT /api/v1/vm.add-net})
     *
     * @param net the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-net")
    public PciDeviceInfo addNet(NetConfig net) {
        Objects.requireNonNull(net, "net == null");
        return parseOptional("PUT", "/vm.add-net", send("PUT", "/vm.add-net", json(net)), PciDeviceInfo.class);
    }

    /**
     * Hot-plugs a network device. Also passes {@code fds} to CH as SCM_RIGHTS ancillary data on a dedicated connection (for
     * example tap or VFIO cdev descriptors opened by a more privileged process). The descriptors stay owned
     * (and must be closed) by the caller.
     *
     * @param net the request body
     * @param fds the descriptors to pass, at least one
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-net")
    public PciDeviceInfo addNet(NetConfig net, FileDescriptor... fds) {
        Objects.requireNonNull(net, "net == null");
        requireFds(fds);
        return parseOptional("PUT", "/vm.add-net", sendWithFds("/vm.add-net", json(net), fds), PciDeviceInfo.class);
    }

    /**
     * Hot-plugs a (hybrid) vsock device. ({@code PUT /api/v1/vm.add-vsock})
     *
     * @param vsock the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-vsock")
    public PciDeviceInfo addVsock(VsockConfig vsock) {
        Objects.requireNonNull(vsock, "vsock == null");
        return parseOptional("PUT", "/vm.add-vsock", send("PUT", "/vm.add-vsock", json(vsock)), PciDeviceInfo.class);
    }

    /**
     * Hot-plugs a vDPA device. ({@code PUT /api/v1/vm.add-vdpa})
     *
     * @param vdpa the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-vdpa")
    public PciDeviceInfo addVdpa(VdpaConfig vdpa) {
        Objects.requireNonNull(vdpa, "vdpa == null");
        return parseOptional("PUT", "/vm.add-vdpa", send("PUT", "/vm.add-vdpa", json(vdpa)), PciDeviceInfo.class);
    }

    /**
     * Hot-plugs a vfio-user device. ({@code PUT /api/v1/vm.add-user-device})
     *
     * @param device the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.add-user-device")
    public PciDeviceInfo addUserDevice(VmAddUserDevice device) {
        Objects.requireNonNull(device, "device == null");
        return parseOptional("PUT", "/vm.add-user-device", send("PUT", "/vm.add-user-device", json(device)), PciDeviceInfo.class);
    }

    /**
     * Snapshots the paused VM to a destination URL. ({@code PUT /api/v1/vm.snapshot})
     *
     * @param snapshot the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.snapshot")
    public void snapshot(VmSnapshotConfig snapshot) {
        Objects.requireNonNull(snapshot, "snapshot == null");
        send("PUT", "/vm.snapshot", json(snapshot));
    }

    /**
     * Writes a guest core dump of the paused VM. ({@code PUT /api/v1/vm.coredump})
     *
     * @param coredump the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.coredump")
    public void coredump(VmCoredumpData coredump) {
        Objects.requireNonNull(coredump, "coredump == null");
        send("PUT", "/vm.coredump", json(coredump));
    }

    /**
     * Injects a non-maskable interrupt into the VM. ({@code PUT /api/v1/vm.nmi})
     *
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.nmi")
    public void nmi() {
        send("PUT", "/vm.nmi", null);
    }

    /**
     * Restores a VM from a snapshot (instead of vm.create). ({@code PUT /api/v1/vm.restore})
     *
     * @param restore the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.restore")
    public void restore(RestoreConfig restore) {
        Objects.requireNonNull(restore, "restore == null");
        send("PUT", "/vm.restore", json(restore));
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
    @ChEndpoint("/vm.restore")
    public void restore(RestoreConfig restore, FileDescriptor... fds) {
        Objects.requireNonNull(restore, "restore == null");
        requireFds(fds);
        sendWithFds("/vm.restore", json(restore), fds);
    }

    /**
     * Receives a VM migrating in. ({@code PUT /api/v1/vm.receive-migration})
     *
     * @param migration the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.receive-migration")
    public void receiveMigration(ReceiveMigrationData migration) {
        Objects.requireNonNull(migration, "migration == null");
        send("PUT", "/vm.receive-migration", json(migration));
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
    @ChEndpoint("/vm.receive-migration")
    public void receiveMigration(ReceiveMigrationData migration, FileDescriptor... fds) {
        Objects.requireNonNull(migration, "migration == null");
        requireFds(fds);
        sendWithFds("/vm.receive-migration", json(migration), fds);
    }

    /**
     * Sends the VM to another VMM. ({@code PUT /api/v1/vm.send-migration})
     *
     * @param migration the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("/vm.send-migration")
    public void sendMigration(SendMigrationData migration) {
        Objects.requireNonNull(migration, "migration == null");
        send("PUT", "/vm.send-migration", json(migration));
    }

    private static byte[] json(Object body) {
        return JsonCodec.INSTANCE.write(body);
    }

    private byte[] send(String method, String endpoint, byte[] body) {
        ensureOpen();
        Duration timeout = timeoutFor(endpoint);
        RawResponse r;
        try {
            r = transport.exchange(method, endpoint, body, timeout);
        } catch (IOException e) {
            throw Responses.ioFailure(method, endpoint, socket, timeout, e);
        }
        LOG.debug("{} {} -> {}", method, endpoint, r.status());
        return Responses.check(method, endpoint, r);
    }

    private byte[] sendWithFds(String endpoint, byte[] body, FileDescriptor[] fds) {
        ensureOpen();
        Duration timeout = timeoutFor(endpoint);
        RawResponse r;
        try {
            r = fdTransport.exchange("PUT", endpoint, body, fds, timeout);
        } catch (IOException e) {
            throw Responses.ioFailure("PUT", endpoint, socket, timeout, e);
        }
        LOG.debug("PUT {} with {} fd(s) -> {}", endpoint, fds.length, r.status());
        return Responses.check("PUT", endpoint, r);
    }

    private static <T> T parse(String method, String endpoint, byte[] body, Type type) {
        return Responses.parse(method, endpoint, body, type);
    }

    private static <T> T parseOptional(String method, String endpoint, byte[] body, Type type) {
        return body == null ? null : Responses.parse(method, endpoint, body, type);
    }

    private static void requireFds(FileDescriptor[] fds) {
        Objects.requireNonNull(fds, "fds == null");
        if (fds.length == 0) {
            throw new IllegalArgumentException("fds is empty; use the overload without descriptors");
        }
        for (FileDescriptor fd : fds) {
            if (fd == null || !fd.valid()) {
                throw new IllegalArgumentException("fds holds a null or closed descriptor");
            }
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("ChClient for " + socket + " is closed");
        }
    }

    /** Releases the connection pool and OkHttp's threads; idempotent. Does not stop CH. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            transport.close();
        }
    }

    @Override
    public String toString() {
        return "ChClient[" + socket + "]";
    }

    /** Configures a {@link ChClient}; not thread-safe. */
    public static final class Builder {
        private Path socket;
        private Duration callTimeout = Duration.ofSeconds(10);
        private Duration longCallTimeout = Duration.ofMinutes(2);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private final Map<String, Duration> timeouts = new HashMap<>();

        private Builder() {
        }

        /** The API socket, as given to {@code cloud-hypervisor --api-socket path=<file>}. Required. */
        public Builder socket(Path socket) {
            this.socket = Objects.requireNonNull(socket, "socket == null");
            return this;
        }

        /** Deadline of quick calls (ping, info, pause, add-*, ...); default 10 s. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /** Deadline of the calls that do real work in CH (create, boot, shutdown, snapshot, ...); default 2 min. */
        public Builder longCallTimeout(Duration timeout) {
            this.longCallTimeout = positive(timeout, "longCallTimeout");
            return this;
        }

        /** Deadline of one endpoint, e.g. {@code callTimeout("/vm.boot", Duration.ofMinutes(5))}. */
        public Builder callTimeout(String endpoint, Duration timeout) {
            Objects.requireNonNull(endpoint, "endpoint == null");
            if (!endpoint.startsWith("/vm")) {
                throw new IllegalArgumentException("endpoint must look like /vm.boot or /vmm.ping: " + endpoint);
            }
            timeouts.put(endpoint, positive(timeout, "timeout"));
            return this;
        }

        /** Deadline for opening the Unix socket connection; default 2 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Builds the client; no connection is made until the first call.
         *
         * @throws IllegalStateException if no socket was set
         */
        public ChClient build() {
            if (socket == null) {
                throw new IllegalStateException("ChClient needs socket(Path)");
            }
            return new ChClient(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name + " == null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
