package dev.virtualghost.ch.testkit;

import dev.virtualghost.ch.testkit.internal.ApiFailure;
import dev.virtualghost.ch.testkit.internal.ApiSocketServer;
import dev.virtualghost.ch.testkit.internal.Endpoint;
import dev.virtualghost.ch.testkit.internal.EventMonitor;
import dev.virtualghost.ch.testkit.internal.GuestRuntime;
import dev.virtualghost.ch.testkit.internal.HttpExchange;
import dev.virtualghost.ch.testkit.internal.Json;
import dev.virtualghost.ch.testkit.internal.RequestDecoder;
import dev.virtualghost.ch.testkit.internal.SocketLock;
import dev.virtualghost.ch.testkit.internal.SpecValidation;
import dev.virtualghost.ch.testkit.internal.VmModel;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Cloud Hypervisor simulator: serves CH's REST API as HTTP/1.1 on a Unix socket and answers as CH does
 * (VM state machine, error chains as JSON arrays, 400/404/409/429/500 where CH sends them, 4 MiB body limit,
 * exact Content-Type), optionally checks bodies against CH's OpenAPI file and streams CH-style events.
 *
 * <pre>{@code
 * try (FakeCloudHypervisor ch = FakeCloudHypervisor.builder().socket(dir.resolve("api.sock")).start()) {
 *   ch.failNext("vm.boot", 500, "Error from API", "The VM could not boot", "injected");
 *   // drive a ChClient against ch.socket()
 * }
 * }</pre>
 *
 * <p>Like CH it holds {@code <socket>.lock} while running, refuses to start while a live holder has it,
 * replaces a stale socket file, and on {@link #close()} removes its socket but leaves the (unlocked) lock file, as
 * CH v54 does. It plays a {@link PvhTestGuest} kernel as the real VMM runs it (see {@code docs/ch-contract.md}).
 *
 * <p>Thread-safe: one daemon thread per connection; hooks may be set from any thread. The caller closes it;
 * close is idempotent and also closes a stream given to {@link Builder#eventMonitor(OutputStream)}.
 */
public final class FakeCloudHypervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FakeCloudHypervisor.class);
    /** The version reported by {@code vmm.ping} unless configured. */
    public static final String DEFAULT_VERSION = "54.0.0";

    private final Path socket;
    private final Path lockFile;
    private final SocketLock lock;
    private final ApiSocketServer server;
    private final RequestDecoder decoder;
    private final EventMonitor events;
    private final VmModel model;
    private final Runnable onVmmShutdown;
    private final Runnable onGuestPowerOff;
    private final Map<Endpoint, ConcurrentLinkedDeque<ApiFailure>> failures = new ConcurrentHashMap<>();
    private final Map<Endpoint, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<RecordedRequest> recorded = new CopyOnWriteArrayList<>();
    private final CountDownLatch vmmShutdown = new CountDownLatch(1);
    private final CountDownLatch exited = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final GuestRuntime guest;

    private FakeCloudHypervisor(Builder b) throws IOException {
        this.socket = b.socket.toAbsolutePath();
        this.lockFile = Path.of(socket + ".lock");
        this.decoder = new RequestDecoder(b.spec == null ? null : SpecValidation.validator(b.spec));
        this.onVmmShutdown = b.onVmmShutdown;
        this.onGuestPowerOff = b.onGuestPowerOff;
        this.lock = SocketLock.acquire(lockFile);
        try {
            // The lock is ours, so any socket file left there is stale, as CH assumes.
            Files.deleteIfExists(socket);
            server = ApiSocketServer.bind(socket, this::handle);
        } catch (IOException | RuntimeException e) {
            lock.release();
            throw e;
        }
        OutputStream eventOut = b.eventStream;
        if (eventOut == null && b.eventPath != null) {
            try {
                eventOut = new FileOutputStream(b.eventPath.toFile(), true);
            } catch (IOException | RuntimeException e) {
                // Nothing is serving yet: give back the socket and the lock, as CH does when it cannot start.
                server.close();
                Files.deleteIfExists(socket);
                lock.release();
                throw e;
            }
        }
        this.events = new EventMonitor(eventOut);
        this.model = new VmModel(events, b.version, b.vfioAvailable);
        this.guest = new GuestRuntime(
                model,
                b.guestPorts,
                b.noShutdown,
                this::exitAfterGuest,
                socket.getFileName().toString());
        events.emit("vmm", "starting", null);
        server.start();
        LOG.debug("fake cloud-hypervisor serving {}", socket);
    }

    /**
     * A new builder.
     *
     * @return a builder with no socket set, version {@value #DEFAULT_VERSION}, no spec, no events, no guest ports
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The API socket path.
     *
     * @return the absolute path of the Unix socket this fake serves on (removed again by {@link #close()})
     */
    public Path socket() {
        return socket;
    }

    /**
     * The lock file held beside the socket ({@code <socket>.lock}).
     *
     * @return the lock file's absolute path; the file stays after {@link #close()}, unlocked, as with CH
     */
    public Path lockFile() {
        return lockFile;
    }

    /**
     * Makes the next call of {@code command} (e.g. {@code "vm.boot"}) fail with {@code status} and the given
     * error chain (outermost first) after routing, method and body-framing checks passed. Queued failures are
     * used in order.
     *
     * @param command the CH command without the {@code /api/v1/} prefix, e.g. {@code "vm.boot"}
     * @param status the HTTP status to answer with, e.g. 500
     * @param chain the error messages, outermost first, answered as a JSON array of strings; at least one
     * @throws IllegalArgumentException for an unknown command or an empty chain
     */
    public void failNext(String command, int status, String... chain) {
        if (chain.length == 0) {
            throw new IllegalArgumentException("chain is empty");
        }
        failures.computeIfAbsent(Endpoint.ofCommand(command), e -> new ConcurrentLinkedDeque<>())
                .add(new ApiFailure(status, Arrays.asList(chain)));
    }

    /**
     * Delays every call of {@code command} by {@code delay} before it is served; {@link Duration#ZERO} clears.
     * The delay comes after the routing checks and before any injected failure, and is slept (millisecond
     * resolution) on the connection's thread.
     *
     * @param command the CH command without the {@code /api/v1/} prefix, e.g. {@code "vm.boot"}
     * @param delay how long to wait before serving each call; {@link Duration#ZERO} removes the delay
     * @throws IllegalArgumentException for an unknown command
     * @throws NullPointerException if {@code delay} is null
     */
    public void delay(String command, Duration delay) {
        Objects.requireNonNull(delay, "delay == null");
        if (delay.isZero()) {
            delays.remove(Endpoint.ofCommand(command));
        } else {
            delays.put(Endpoint.ofCommand(command), delay);
        }
    }

    /**
     * How many requests arrived for {@code command} (or for any raw path, e.g. an unknown one).
     *
     * @param command a CH command without the prefix (e.g. {@code "vm.boot"}), or a raw request path starting with
     *     {@code /} (e.g. {@code "/api/v1/no.such"})
     * @return the number of requests received so far, whatever their method or answer; 0 when none
     */
    public int requestCount(String command) {
        AtomicInteger n = counts.get(command.startsWith("/") ? command : Endpoint.PREFIX + command);
        return n == null ? 0 : n.get();
    }

    /**
     * Every request received so far, in arrival order.
     *
     * @return an unmodifiable snapshot; later requests do not show in it
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    /**
     * The VM's state as {@code vm.info} names it ("Created", "Running"...), empty when no VM is created.
     *
     * @return the state's name, or empty when there is no VM
     */
    public Optional<String> vmState() {
        return Optional.ofNullable(model.state()).map(Enum::name);
    }

    /**
     * Waits until a client called {@code vmm.shutdown}.
     *
     * @param timeout the longest time to wait (nanosecond resolution)
     * @return true if it was called (and answered 200) within {@code timeout}, at once if it already was
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean awaitVmmShutdown(Duration timeout) throws InterruptedException {
        return vmmShutdown.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Ends the VMM: stops serving, closes connections, deletes the VM ({@code vm deleted}, {@code vmm shutdown}
     * events), removes the API and vsock sockets, releases the lock (the lock file stays, as with CH) and closes the
     * event stream. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close();
        guest.close();
        model.vmmExit();
        events.emit("vmm", "shutdown", null);
        events.close();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.debug("removing {}", socket, e);
        }
        lock.release();
        exited.countDown();
    }

    /**
     * Every event this VMM emitted so far (as {@code --event-monitor} would write them), in order.
     *
     * @return a snapshot, oldest first; kept also when no event monitor stream or file was configured
     */
    public List<VmmEvent> events() {
        return events.events();
    }

    /**
     * Waits for the first {@code event} from {@code source} (e.g. {@code "vm", "booted"}), emitted before or during
     * the wait.
     *
     * @param source the event's source, e.g. {@code "vm"}
     * @param event the event's name, e.g. {@code "booted"}
     * @param timeout the longest time to wait (nanosecond resolution)
     * @return the event, empty if it did not come within {@code timeout}
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public Optional<VmmEvent> awaitEvent(String source, String event, Duration timeout) throws InterruptedException {
        return events.await(source, event, timeout);
    }

    /**
     * Waits until this VMM has ended: {@link #close()} ran, or the guest powered off (without
     * {@link Builder#noShutdown(boolean)}).
     *
     * @param timeout the longest time to wait (nanosecond resolution)
     * @return true if it ended within {@code timeout}, at once if it already had
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return exited.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Answers one request on its connection's thread, then runs the hook the request triggers. */
    private void handle(HttpExchange.Request request, HttpExchange http) throws IOException, InterruptedException {
        Endpoint endpoint = Endpoint.ofPath(request.path());
        recorded.add(new RecordedRequest(request.method(), request.path(), request.headers(), request.body()));
        String key = endpoint == null ? request.path() : endpoint.path();
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        boolean poweredOff = false;
        VmModel.Reply reply;
        try {
            if (guest.exiting()) {
                // CH's VMM thread is gone while its API thread still reads requests (measured on the real CH).
                throw ApiFailure.api(500, "API response receive error", "receiving on a closed channel");
            }
            reply = dispatch(endpoint, request);
            // Only a guest with an ACPI driver obeys the button (the tiny test guest ignores it).
            poweredOff = endpoint == Endpoint.VM_POWER_BUTTON && model.state() == VmModel.State.Shutdown;
        } catch (ApiFailure f) {
            reply = new VmModel.Reply(f.status(), Json.write(f.chain()));
        }
        // CH binds or removes the vsock socket while it serves the request, before it answers.
        guest.syncVsock();
        try {
            http.write(reply.status(), reply.json());
        } finally {
            // The VMM acts whether or not the client stayed to read the answer.
            guest.afterRequest(poweredOff);
            if (endpoint == Endpoint.VMM_SHUTDOWN && reply.status() == 200 && vmmShutdown.getCount() > 0) {
                vmmShutdown.countDown();
                if (onVmmShutdown != null) {
                    onVmmShutdown.run();
                }
            }
        }
    }

    private void exitAfterGuest() {
        close();
        if (onGuestPowerOff != null) {
            onGuestPowerOff.run();
        }
    }

    /** CH's order: routing and framing checks, then (test hooks) delay and injected failure, then the body. */
    private VmModel.Reply dispatch(Endpoint endpoint, HttpExchange.Request request)
            throws ApiFailure, InterruptedException {
        RequestDecoder.checkRoute(endpoint, request);
        Duration delay = delays.get(endpoint);
        if (delay != null) {
            Thread.sleep(delay.toMillis());
        }
        ConcurrentLinkedDeque<ApiFailure> queued = failures.get(endpoint);
        ApiFailure injected = queued == null ? null : queued.poll();
        if (injected != null) {
            throw injected;
        }
        Object body = null;
        if (request.body().length > 0) {
            body = decoder.decodeBody(endpoint, request.body());
        }
        return model.handle(endpoint, body);
    }

    /**
     * Writes an executable {@code cloud-hypervisor} shell script into {@code dir} that runs
     * {@link FakeCloudHypervisorMain} in a new JVM (this JVM's binary and class path), so code that spawns CH
     * can be tested with a real child process. The script is named {@code cloud-hypervisor}, mode {@code 0700},
     * and replaces any file of that name; the caller owns it and the directory.
     *
     * @param dir an existing, writable directory, ideally private to the test
     * @return the script path
     * @throws UncheckedIOException if the script cannot be written
     */
    public static Path installLauncher(Path dir) {
        return Launcher.install(dir);
    }

    /**
     * Configures and starts a {@link FakeCloudHypervisor}. Not thread-safe.
     */
    public static final class Builder {
        private Path socket;
        private Path spec;
        private Path eventPath;
        private OutputStream eventStream;
        private String version = DEFAULT_VERSION;
        private Runnable onVmmShutdown;
        private Runnable onGuestPowerOff;
        private boolean noShutdown;
        private boolean vfioAvailable;
        private final Map<Integer, SocketAddress> guestPorts = new LinkedHashMap<>();

        private Builder() {}

        /**
         * The simulated guest runs a vsock driver and its port {@code port} leads to the Unix socket
         * {@code unixTarget}: a {@code CONNECT port} on the VM's hybrid vsock socket gets {@code OK <n>} and the bytes
         * are relayed there. Without any port the guest has no vsock driver (like the tiny test guest): a
         * {@code CONNECT} gets silence. With ports, one that is not mapped has its stream closed.
         *
         * @param port the guest's vsock port, 0 or more; a later call for the same port replaces the target
         * @param unixTarget the Unix socket the fake guest connects to for each {@code CONNECT port}
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is negative or {@code unixTarget} is not a usable Unix
         *     socket path
         * @throws NullPointerException if {@code unixTarget} is null
         */
        public Builder guestVsockPort(int port, Path unixTarget) {
            Objects.requireNonNull(unixTarget, "unixTarget == null");
            try {
                guestPorts.put(checkPort(port), AFUNIXSocketAddress.of(unixTarget));
            } catch (java.net.SocketException e) {
                throw new IllegalArgumentException("not a usable Unix socket path: " + unixTarget, e);
            }
            return this;
        }

        /**
         * As {@link #guestVsockPort(int, Path)}, the guest's {@code port} leading to a TCP address.
         *
         * @param port the guest's vsock port, 0 or more; a later call for the same port replaces the target
         * @param tcpTarget the TCP address the fake guest connects to for each {@code CONNECT port}
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is negative
         * @throws NullPointerException if {@code tcpTarget} is null
         */
        public Builder guestVsockPort(int port, InetSocketAddress tcpTarget) {
            guestPorts.put(checkPort(port), Objects.requireNonNull(tcpTarget, "tcpTarget == null"));
            return this;
        }

        private static int checkPort(int port) {
            if (port < 0) {
                throw new IllegalArgumentException("vsock port must be 0 or more, was " + port);
            }
            return port;
        }

        /**
         * Models a host WITH VFIO ({@code /dev/vfio} and devices bound to vfio-pci), where {@code vm.add-device} and
         * booting with {@code devices} succeed. Off by default: like the reference host (no {@code /dev/vfio}), a VFIO
         * device then fails at boot and hot-plug with CH's chain ("Cannot create a VFIO device", "failed to open
         * /dev/vfio/vfio container: No such file or directory (os error 2)", ...). The stand-in process takes
         * {@code VIRTUALGHOST_FAKE_CH_VFIO=1}.
         *
         * @param available true to model a host where VFIO works
         * @return this builder
         */
        public Builder vfioAvailable(boolean available) {
            this.vfioAvailable = available;
            return this;
        }

        /**
         * Like CH's {@code --no-shutdown}: when the guest powers off the VMM keeps serving (the VM is
         * {@code Shutdown}). Without it (the default) a guest power-off ends the VMM: the VM is deleted, the socket
         * removed, as {@link #close()} does.
         *
         * @param noShutdown true to keep the VMM serving after the guest powers off
         * @return this builder
         */
        public Builder noShutdown(boolean noShutdown) {
            this.noShutdown = noShutdown;
            return this;
        }

        /**
         * The API socket path (required).
         *
         * @param socket where to bind the Unix socket; a stale socket file there is replaced, and
         *     {@code <socket>.lock} is created beside it
         * @return this builder
         * @throws NullPointerException if {@code socket} is null
         */
        public Builder socket(Path socket) {
            this.socket = Objects.requireNonNull(socket, "socket == null");
            return this;
        }

        /**
         * CH's OpenAPI file; when set, request bodies failing it are answered 400 with the validator's messages. Needs
         * {@code com.atlassian.oai:swagger-request-validator-core} on the class path (an optional dependency of the
         * testkit: add it to use this); {@link #start()} fails with that advice otherwise.
         *
         * @param spec CH's OpenAPI YAML file, e.g. {@code cloud-hypervisor.yaml}
         * @return this builder
         * @throws NullPointerException if {@code spec} is null
         */
        public Builder spec(Path spec) {
            this.spec = Objects.requireNonNull(spec, "spec == null");
            return this;
        }

        /**
         * Appends CH-style events to this file (a FIFO works too; opening it waits for a reader). The simulator opens
         * it in {@link #start()} and closes it on {@link FakeCloudHypervisor#close()}. Ignored when
         * {@link #eventMonitor(OutputStream)} is also set.
         *
         * @param path the file to append to, created if absent
         * @return this builder
         * @throws NullPointerException if {@code path} is null
         */
        public Builder eventMonitor(Path path) {
            this.eventPath = Objects.requireNonNull(path, "path == null");
            return this;
        }

        /**
         * Writes CH-style events to this stream; the simulator closes it on close.
         *
         * @param stream where events go; owned by the simulator from {@link #start()} on
         * @return this builder
         * @throws NullPointerException if {@code stream} is null
         */
        public Builder eventMonitor(OutputStream stream) {
            this.eventStream = Objects.requireNonNull(stream, "stream == null");
            return this;
        }

        /**
         * The version {@code vmm.ping} reports, without the leading "v" (default {@value #DEFAULT_VERSION}).
         *
         * @param version the version string, e.g. {@code "54.0.0"}
         * @return this builder
         * @throws NullPointerException if {@code version} is null
         */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version == null");
            return this;
        }

        /**
         * Runs after {@code vmm.shutdown} has been answered, on the connection's thread. It runs once, for the first
         * successful call.
         *
         * @param action what to run; it must not block for long (it holds the connection's thread)
         * @return this builder
         * @throws NullPointerException if {@code action} is null
         */
        public Builder onVmmShutdown(Runnable action) {
            this.onVmmShutdown = Objects.requireNonNull(action, "action == null");
            return this;
        }

        /**
         * Runs when the guest powers off (after {@code vm.power-button} has been answered, or when a
         * {@link PvhTestGuest} powers off), once the VMM has ended (the simulator is closed), unless {@link #noShutdown(boolean)}.
         *
         * @param action what to run, on the simulator's guest timer thread; it must not block for long
         * @return this builder
         * @throws NullPointerException if {@code action} is null
         */
        public Builder onGuestPowerOff(Runnable action) {
            this.onGuestPowerOff = Objects.requireNonNull(action, "action == null");
            return this;
        }

        /**
         * Binds the socket and starts serving. The caller owns the result and closes it.
         *
         * @return the running simulator, having emitted the {@code vmm starting} event
         * @throws IllegalStateException if no socket was set, another live VMM holds the lock, or a spec was set and
         *     swagger-request-validator is not on the class path
         * @throws UncheckedIOException if the socket cannot be bound or the event monitor file cannot be opened
         */
        public FakeCloudHypervisor start() {
            if (socket == null) {
                throw new IllegalStateException("socket not set");
            }
            try {
                return new FakeCloudHypervisor(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cloud-hypervisor: cannot serve API socket " + socket + ": " + e, e);
            }
        }
    }
}
