package dev.virtualghost.ch;

import dev.virtualghost.ch.internal.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Configures a {@link ChClient}: its socket and the deadline of each call. Obtained from {@link ChClient#builder()}.
 *
 * <p>Not thread-safe; each {@link #build()} returns an independent client that copies the settings.
 */
public final class ChClientBuilder {
    /** The default deadline of quick calls, the same for {@link ChClient} and {@link ChProcess#client()}. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The default deadline of the calls that do real work in CH, the same for ChClient and ChProcess. */
    public static final Duration DEFAULT_LONG_CALL_TIMEOUT = Duration.ofMinutes(2);

    private Path socket;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Duration longCallTimeout = DEFAULT_LONG_CALL_TIMEOUT;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private final Map<String, Duration> timeouts = new HashMap<>();

    ChClientBuilder() {}

    /**
     * Sets the API socket, as given to {@code cloud-hypervisor --api-socket path=<file>}. Required.
     *
     * @param socket the Unix socket CH serves its API on; need not exist yet
     * @return this builder
     * @throws NullPointerException if {@code socket} is null
     */
    public ChClientBuilder socket(Path socket) {
        this.socket = Objects.requireNonNull(socket, "socket == null");
        return this;
    }

    /**
     * Sets the deadline of quick calls (ping, info, pause, add-*, ...), from sending the request to reading the
     * whole answer; default 10 s.
     *
     * @param timeout the deadline, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ChClientBuilder callTimeout(Duration timeout) {
        this.callTimeout = Durations.requirePositive(timeout, "callTimeout");
        return this;
    }

    /**
     * Sets the deadline of the calls that do real work in CH (create, boot, shutdown, snapshot, ...); default 2 min.
     *
     * @param timeout the deadline, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ChClientBuilder longCallTimeout(Duration timeout) {
        this.longCallTimeout = Durations.requirePositive(timeout, "longCallTimeout");
        return this;
    }

    /**
     * Deadline of one endpoint, e.g. {@code callTimeout("vm.boot", Duration.ofMinutes(5))}; names are written as the
     * spec and {@code ch-remote} write them, without a leading slash. It overrides {@link #callTimeout(Duration)} and
     * {@link #longCallTimeout(Duration)} for that endpoint.
     *
     * @param endpoint the endpoint name, e.g. {@code "vm.boot"}
     * @param timeout  the deadline of calls to that endpoint, positive
     * @return this builder
     * @throws NullPointerException if {@code endpoint} or {@code timeout} is null
     * @throws IllegalArgumentException if {@code endpoint} is not one of CH's API paths (e.g. {@code "vm.bot"} or {@code "/vm.boot"})
     *                                  or {@code timeout} is zero or negative
     */
    public ChClientBuilder callTimeout(String endpoint, Duration timeout) {
        timeouts.put(ChCalls.requireEndpoint(endpoint), Durations.requirePositive(timeout, "timeout"));
        return this;
    }

    /**
     * Sets the deadline for opening the Unix socket connection; default 2 s. A call that fails here was certainly not
     * delivered ({@link ChConnectionException}).
     *
     * @param timeout the deadline, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ChClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Durations.requirePositive(timeout, "connectTimeout");
        return this;
    }

    /**
     * Builds the client; no connection is made until the first call.
     *
     * @return a new client that the caller owns and must {@link ChClient#close() close}
     * @throws IllegalStateException if no socket was set
     */
    public ChClient build() {
        if (socket == null) {
            throw new IllegalStateException("ChClient needs socket(Path)");
        }
        return new ChClient(socket, callTimeout, longCallTimeout, timeouts, connectTimeout);
    }
}
