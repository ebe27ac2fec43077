package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.ConnectAck;
import dev.virtualghost.vsock.internal.Durations;
import dev.virtualghost.vsock.internal.NotListeningYet;
import dev.virtualghost.vsock.internal.SocketFileCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.ConnectionRefusedSocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens host-to-guest connections through Cloud Hypervisor's hybrid vsock Unix socket.
 *
 * <pre>{@code
 * HybridVsockDialer dialer = HybridVsockDialer.builder()
 *     .socket(Path.of("/run/vg/vsock.sock"))
 *     .deadline(Duration.ofSeconds(60))
 *     .build();
 * try (VsockConnection c = dialer.dial(22)) { ... }
 * }</pre>
 *
 * <p>Protocol (CH {@code virtio-devices/src/vsock/unix/muxer.rs}): write {@code CONNECT <port>\n}; CH answers
 * {@code OK <hostport>\n} if a guest process listens on that port, else it closes the stream. Only the
 * "guest not listening yet" failures are retried until {@code deadline}: socket file missing (ENOENT),
 * connection refused (ECONNREFUSED on a socket file nobody listens on) and stream closed before the
 * {@code OK} line (EOF, or EPIPE/ECONNRESET while sending {@code CONNECT}). Everything else fails at once with
 * a {@link VsockDialException}: permission denied (EACCES), a path that is not a socket or has a non-directory
 * component (ENOTDIR, ELOOP), a connect or ack timeout; a reply that is not {@code OK <n>} is a
 * {@link VsockHandshakeException}.
 *
 * <p>Silence after {@code CONNECT} is what a guest without a running vsock driver gives: the real CH v54 neither
 * answers nor closes (measured, see the project's notes on CH), so the message says the guest did not answer and
 * asks about its driver and listener. When the dial gives up, it reports the most telling failure it saw (for
 * example "closed before OK"), never the last attempt's wait that the deadline merely cut short.
 *
 * <p>Immutable and thread-safe: one dialer may dial many connections concurrently.
 */
public final class HybridVsockDialer {

    private static final Logger LOG = LoggerFactory.getLogger(HybridVsockDialer.class);

    private final Path socket;
    private final Duration dialTimeout;
    private final Duration ackTimeout;
    private final Duration retryInterval;
    private final Duration deadline;

    private HybridVsockDialer(Builder b) {
        this.socket = Objects.requireNonNull(b.socket, "socket == null");
        this.dialTimeout = b.dialTimeout;
        this.ackTimeout = b.ackTimeout;
        this.retryInterval = b.retryInterval;
        this.deadline = b.deadline;
    }

    /**
     * Returns a builder with the defaults: 2 s dial, 3 s ack, 100 ms between attempts, 30 s deadline.
     *
     * @return a new builder; {@link Builder#socket(Path)} is required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder preset with this dialer's settings, e.g. to derive one with a shorter deadline.
     *
     * @return a new builder; changing it does not change this dialer
     */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.socket = socket;
        b.dialTimeout = dialTimeout;
        b.ackTimeout = ackTimeout;
        b.retryInterval = retryInterval;
        b.deadline = deadline;
        return b;
    }

    /**
     * Returns the hybrid vsock Unix socket this dialer connects to.
     *
     * @return the socket path ({@code "socket"} of CH's vsock config)
     */
    public Path socket() {
        return socket;
    }

    /**
     * Returns the overall limit on one {@link #dial}, across all attempts.
     *
     * @return the deadline of each dial, measured from its start
     */
    public Duration deadline() {
        return deadline;
    }

    /**
     * Connects to guest vsock {@code port}, retrying "not listening yet" failures until the deadline.
     *
     * <p>Every attempt is bounded by the time left: its connect and ack waits are the smaller of
     * {@code dialTimeout} / {@code ackTimeout} and what remains of {@code deadline}, so a dial never ends more
     * than a few milliseconds after the deadline. Interrupting the calling thread ends the dial with a
     * {@link VsockDialException} and the interrupt status set.
     *
     * @param port the guest's vsock port, e.g. 22 for the guest's sshd
     * @return a connection whose input starts with the guest's first byte; the caller closes it
     * @throws IllegalArgumentException if {@code port} is negative
     * @throws VsockHandshakeException if the muxer answers something other than {@code OK <n>}
     * @throws VsockDialException if the deadline passes (it says how many attempts over how long), or at once on
     *     a failure that waiting cannot fix (permission denied, not a socket, no answer within
     *     {@code ackTimeout}); the cause is the last failure
     */
    public VsockConnection dial(int port) {
        if (port < 0) {
            throw new IllegalArgumentException("port < 0: " + port);
        }
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        int attempts = 0;
        NotListeningYet cause = null;
        NotListeningYet last = null;
        while (true) {
            attempts++;
            try {
                return attempt(port, end);
            } catch (NotListeningYet e) {
                last = e;
                // A wait the deadline cut short says only that time ran out: it never hides what an earlier attempt
                // saw.
                if (cause == null || !e.cutByDeadline() || cause.silence()) {
                    cause = e;
                }
                LOG.debug("vsock dial {} port {} attempt {} failed: {}", socket, port, attempts, e.getMessage());
            } catch (IOException e) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                throw new VsockDialException(
                        "vsock: dial guest port " + port + " via " + socket + ": " + e.getMessage() + " (attempt "
                                + attempts + ", after " + elapsed.toMillis() + " ms)",
                        attempts,
                        elapsed,
                        e);
            }
            long now = System.nanoTime();
            long sleep = Math.min(retryInterval.toNanos(), end - now);
            if (sleep <= 0) {
                Duration elapsed = Duration.ofNanos(now - start);
                throw new VsockDialException(
                        givingUp(port, attempts, elapsed, cause, last),
                        attempts,
                        elapsed,
                        cause.getCause() != null ? cause.getCause() : cause);
            }
            try {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                throw new VsockDialException(
                        "vsock: dial guest port " + port + " via " + socket + ": interrupted after " + attempts
                                + " attempts over " + elapsed.toMillis() + " ms",
                        attempts,
                        elapsed,
                        ie);
            }
        }
    }

    private String givingUp(int port, int attempts, Duration elapsed, NotListeningYet cause, NotListeningYet last) {
        String prefix = "vsock: dial guest port " + port + " via " + socket + ": ";
        String count =
                " (" + attempts + (attempts == 1 ? " attempt" : " attempts") + " over " + elapsed.toMillis() + " ms)";
        if (cause.silence()) {
            return prefix + silence(port, deadline) + count;
        }
        return prefix + "gave up after " + attempts + " attempts over " + elapsed.toMillis() + " ms: "
                + cause.getMessage()
                + (last != cause && last.silence() ? "; the last attempt got no answer before the deadline" : "")
                + "; is the guest up and listening on that port?";
    }

    /** What silence after {@code CONNECT} means: with no vsock driver in the guest, CH neither answers nor closes. */
    private static String silence(int port, Duration waited) {
        return "the guest did not answer CONNECT " + port + " within " + Durations.show(waited)
                + ": is its vsock driver up and is anything listening on port " + port + "?";
    }

    /**
     * One attempt, bounded by {@code end}. Throws {@link NotListeningYet} for the failures worth retrying, any
     * other IOException for those waiting cannot fix, and VsockHandshakeException for a reply that is not OK.
     */
    private VsockConnection attempt(int port, long end) throws IOException {
        SocketFileCheck.check(socket);
        AFUNIXSocket s = AFUNIXSocket.newInstance();
        boolean ok = false;
        try {
            long connectNanos = Math.min(dialTimeout.toNanos(), end - System.nanoTime());
            try {
                s.connect(AFUNIXSocketAddress.of(socket), millis(connectNanos));
            } catch (SocketTimeoutException e) {
                throw timeout(
                        "connect",
                        connectNanos,
                        dialTimeout,
                        false,
                        "no connect within " + Durations.show(dialTimeout) + "; is cloud-hypervisor accepting on it?");
            } catch (ConnectException | ConnectionRefusedSocketException e) {
                // ECONNREFUSED: a socket file with nobody listening (CH not started yet, or a stale file).
                throw new NotListeningYet("connection refused", e);
            } catch (SocketException e) {
                // junixsocket reports errno only as text; stat again to tell "removed meanwhile" (retry) from the rest.
                SocketFileCheck.check(socket);
                throw new IOException(e.getMessage() + "; check the socket path and its permissions", e);
            }
            try {
                OutputStream out = s.getOutputStream();
                // Always the full line: CH can misbehave when a client closes before sending the newline.
                out.write(("CONNECT " + port + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException e) {
                // EPIPE / ECONNRESET: the muxer dropped us before reading the line, as when it closes a refused one.
                throw new NotListeningYet("closed before OK (" + e.getMessage() + ")", e);
            }
            long ackNanos = Math.min(ackTimeout.toNanos(), end - System.nanoTime());
            String line;
            try {
                line = ConnectAck.readLine(s, port, System.nanoTime() + ackNanos, socket);
            } catch (SocketTimeoutException e) {
                throw timeout(
                        "OK after CONNECT " + port,
                        ackNanos,
                        ackTimeout,
                        true,
                        silence(port, ackTimeout) + " (or is " + socket
                                + " not CH's hybrid vsock socket, e.g. its API socket?)");
            }
            int hostPort = ConnectAck.parse(line, port, socket);
            s.setSoTimeout(0);
            ok = true;
            return new VsockConnection(s, port, hostPort);
        } finally {
            if (!ok) {
                s.close();
            }
        }
    }

    /**
     * A wait cut short by the overall deadline ends the dial like any deadline (the loop gives up with the most
     * telling cause it saw); one that ran its full step limit fails at once with {@code message}.
     */
    private IOException timeout(String what, long allowedNanos, Duration limit, boolean silence, String message) {
        if (allowedNanos < limit.toNanos()) {
            String m = "no " + what + " within " + Math.max(0, allowedNanos / 1_000_000) + " ms (the rest of the "
                    + deadline.toMillis() + " ms deadline)";
            return new NotListeningYet(m, new SocketTimeoutException(m), true, silence);
        }
        return new SocketTimeoutException(message);
    }

    /** Rounds up, and at least 1 ms: Java socket timeouts of 0 mean "forever". */
    private static int millis(long nanos) {
        long ms = (nanos + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    /** Configures a {@link HybridVsockDialer}; not thread-safe. */
    public static final class Builder {
        private Path socket;
        private Duration dialTimeout = Duration.ofSeconds(2);
        private Duration ackTimeout = Duration.ofSeconds(3);
        private Duration retryInterval = Duration.ofMillis(100);
        private Duration deadline = Duration.ofSeconds(30);

        private Builder() {}

        /**
         * Sets the hybrid vsock Unix socket ({@code "socket"} of CH's vsock config). Required.
         *
         * @param socket the socket path; it may appear later, a missing file is retried until the deadline
         * @return this builder
         * @throws NullPointerException if {@code socket} is null
         */
        public Builder socket(Path socket) {
            this.socket = Objects.requireNonNull(socket, "socket == null");
            return this;
        }

        /**
         * Sets the limit on one Unix-socket connect. Default 2 s.
         *
         * @param d the limit per attempt, positive
         * @return this builder
         * @throws NullPointerException if {@code d} is null
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder dialTimeout(Duration d) {
            this.dialTimeout = Durations.positive(d, "dialTimeout");
            return this;
        }

        /**
         * Limit on waiting for {@code OK} after {@code CONNECT}; not retried when it passes. Default 3 s: keep it
         * above the ~2 s after which CH closes a request the guest did not answer (that close is retried).
         *
         * @param d the limit per attempt, positive
         * @return this builder
         * @throws NullPointerException if {@code d} is null
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder ackTimeout(Duration d) {
            this.ackTimeout = Durations.positive(d, "ackTimeout");
            return this;
        }

        /**
         * Sets the pause between attempts. Default 100 ms.
         *
         * @param d the pause, positive
         * @return this builder
         * @throws NullPointerException if {@code d} is null
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder retryInterval(Duration d) {
            this.retryInterval = Durations.positive(d, "retryInterval");
            return this;
        }

        /**
         * Sets the overall limit on {@link #dial}, across all retries. Default 30 s.
         *
         * @param d the deadline of each dial, positive
         * @return this builder
         * @throws NullPointerException if {@code d} is null
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder deadline(Duration d) {
            this.deadline = Durations.positive(d, "deadline");
            return this;
        }

        /**
         * Builds the dialer; no connection is made until {@link HybridVsockDialer#dial(int)}.
         *
         * @return an immutable dialer; it holds no resources and needs no closing
         * @throws NullPointerException if no socket was set
         */
        public HybridVsockDialer build() {
            return new HybridVsockDialer(this);
        }
    }
}
