package dev.virtualghost.ch;

import dev.virtualghost.ch.internal.FdTransport;
import dev.virtualghost.ch.internal.JsonCodec;
import dev.virtualghost.ch.internal.OkHttpTransport;
import dev.virtualghost.ch.internal.RawResponse;
import dev.virtualghost.ch.internal.Responses;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plumbing behind {@link ChClient}'s endpoint methods: picks each call's deadline, sends it over OkHttp or,
 * with descriptors, over {@link FdTransport}, and hands answers and failures to {@link Responses}.
 *
 * <p>Thread-safe; owned and closed by its {@link ChClient}.
 */
final class ChCalls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChClient.class);

    /** The endpoints that do real work inside CH and get {@link ChClientBuilder#longCallTimeout} by default. */
    static final Set<String> LONG_ENDPOINTS = Set.of(
            "vm.create",
            "vm.boot",
            "vm.shutdown",
            "vm.delete",
            "vm.snapshot",
            "vm.restore",
            "vm.coredump",
            "vm.receive-migration",
            "vm.send-migration");

    /** Every path of CH's API, read from the {@link ChEndpoint} annotations so it cannot drift from the methods. */
    static final Set<String> ENDPOINTS = endpoints();

    private final Path socket;
    private final Duration callTimeout;
    private final Duration longCallTimeout;
    private final Map<String, Duration> timeouts;
    private final OkHttpTransport transport;
    private final FdTransport fdTransport;
    private final AtomicBoolean closed = new AtomicBoolean();

    ChCalls(
            Path socket,
            Duration callTimeout,
            Duration longCallTimeout,
            Map<String, Duration> timeouts,
            Duration connectTimeout) {
        this.socket = socket;
        this.callTimeout = callTimeout;
        this.longCallTimeout = longCallTimeout;
        this.timeouts = Map.copyOf(timeouts);
        try {
            this.transport = new OkHttpTransport(socket, connectTimeout);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "ch: cannot use " + socket + " as a Unix socket address: " + e.getMessage(), e);
        }
        this.fdTransport = new FdTransport(socket, connectTimeout);
    }

    private static Set<String> endpoints() {
        Set<String> paths = new TreeSet<>();
        for (Method m : ChClient.class.getMethods()) {
            ChEndpoint e = m.getAnnotation(ChEndpoint.class);
            if (e != null) {
                paths.add(e.value());
            }
        }
        return Set.copyOf(paths);
    }

    /**
     * Checks that {@code endpoint} is one of CH's endpoint names (written {@code vm.boot}, nothing else), so a typo cannot silently configure nothing.
     *
     * @throws IllegalArgumentException for an unknown endpoint
     */
    static String requireEndpoint(String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint == null");
        if (!ENDPOINTS.contains(endpoint)) {
            String hint = endpoint.startsWith("/") && ENDPOINTS.contains(endpoint.replaceFirst("^/(api/v1/)?", ""))
                    ? " (write endpoint names without a leading slash or /api/v1/, e.g. vm.boot)"
                    : "";
            throw new IllegalArgumentException("unknown CH endpoint " + endpoint + hint + ": it must be one of CH's"
                    + " endpoint names as ch-remote and the spec name them, e.g. vm.boot; known: "
                    + new TreeSet<>(ENDPOINTS));
        }
        return endpoint;
    }

    Path socket() {
        return socket;
    }

    Duration timeoutFor(String endpoint) {
        Duration d = timeouts.get(endpoint);
        if (d != null) {
            return d;
        }
        return LONG_ENDPOINTS.contains(endpoint) ? longCallTimeout : callTimeout;
    }

    static byte[] json(Object body) {
        return JsonCodec.INSTANCE.write(body);
    }

    /** Sends one call and returns the body of a 2xx answer (null when there is none). */
    byte[] send(String method, String endpoint, byte[] body) {
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

    /** Sends one PUT with descriptors as SCM_RIGHTS on a dedicated connection; see {@link FdTransport}. */
    byte[] sendWithFds(String endpoint, byte[] body, FileDescriptor[] fds) {
        requireFds(fds);
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

    static <T> T parse(String method, String endpoint, byte[] body, Type type) {
        return Responses.parse(method, endpoint, body, type);
    }

    static <T> T parseOptional(String method, String endpoint, byte[] body, Type type) {
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

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            transport.close();
        }
    }
}
