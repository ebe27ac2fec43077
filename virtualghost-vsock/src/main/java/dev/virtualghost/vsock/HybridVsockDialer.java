package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.Durations;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.ConnectionRefusedSocketException;
import org.newsclub.net.unix.ConnectionResetSocketException;
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
  /** Longest ack line we accept; "OK 4294967295\n" is 14 bytes. */
  private static final int MAX_ACK = 32;
  /** File type bits of st_mode and the socket type, from sys/stat.h. */
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

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

  /** A builder with the defaults: 2 s dial, 3 s ack, 100 ms between attempts, 30 s deadline. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder preset with this dialer's settings, e.g. to derive one with a shorter deadline. */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.socket = socket;
    b.dialTimeout = dialTimeout;
    b.ackTimeout = ackTimeout;
    b.retryInterval = retryInterval;
    b.deadline = deadline;
    return b;
  }

  /** The hybrid vsock Unix socket this dialer connects to. */
  public Path socket() {
    return socket;
  }

  /** Overall limit on one {@link #dial}, across all attempts. */
  public Duration deadline() {
    return deadline;
  }

  /**
   * Connects to guest vsock {@code port}, retrying "not listening yet" failures until the deadline.
   *
   * <p>Every attempt is bounded by the time left: its connect and ack waits are the smaller of
   * {@code dialTimeout} / {@code ackTimeout} and what remains of {@code deadline}, so a dial never ends more
   * than a few milliseconds after the deadline.
   *
   * @return a connection whose input starts with the guest's first byte; the caller closes it
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
        // A wait the deadline cut short says only that time ran out: it never hides what an earlier attempt saw.
        if (cause == null || !e.cutByDeadline || cause.silence) {
          cause = e;
        }
        LOG.debug("vsock dial {} port {} attempt {} failed: {}", socket, port, attempts, e.getMessage());
      } catch (IOException e) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        throw new VsockDialException("vsock: dial guest port " + port + " via " + socket + ": " + e.getMessage()
            + " (attempt " + attempts + ", after " + elapsed.toMillis() + " ms)", attempts, elapsed, e);
      }
      long now = System.nanoTime();
      long sleep = Math.min(retryInterval.toNanos(), end - now);
      if (sleep <= 0) {
        Duration elapsed = Duration.ofNanos(now - start);
        throw new VsockDialException(givingUp(port, attempts, elapsed, cause, last), attempts, elapsed,
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
            attempts, elapsed, ie);
      }
    }
  }

  private String givingUp(int port, int attempts, Duration elapsed, NotListeningYet cause, NotListeningYet last) {
    String prefix = "vsock: dial guest port " + port + " via " + socket + ": ";
    String count = " (" + attempts + (attempts == 1 ? " attempt" : " attempts") + " over " + elapsed.toMillis()
        + " ms)";
    if (cause.silence) {
      return prefix + silence(port, deadline) + count;
    }
    return prefix + "gave up after " + attempts + " attempts over " + elapsed.toMillis() + " ms: "
        + cause.getMessage() + (last != cause && last.silence ? "; the last attempt got no answer before the deadline"
        : "") + "; is the guest up and listening on that port?";
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
    checkSocketFile();
    AFUNIXSocket s = AFUNIXSocket.newInstance();
    boolean ok = false;
    try {
      long connectNanos = Math.min(dialTimeout.toNanos(), end - System.nanoTime());
      try {
        s.connect(AFUNIXSocketAddress.of(socket), millis(connectNanos));
      } catch (SocketTimeoutException e) {
        throw timeout("connect", connectNanos, dialTimeout, false,
            "no connect within " + Durations.show(dialTimeout) + "; is cloud-hypervisor accepting on it?");
      } catch (ConnectException | ConnectionRefusedSocketException e) {
        // ECONNREFUSED: a socket file with nobody listening (CH not started yet, or a stale file).
        throw new NotListeningYet("connection refused", e);
      } catch (SocketException e) {
        // junixsocket reports errno only as text; stat again to tell "removed meanwhile" (retry) from the rest.
        checkSocketFile();
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
        line = readAckLine(s, port, System.nanoTime() + ackNanos);
      } catch (SocketTimeoutException e) {
        throw timeout("OK after CONNECT " + port, ackNanos, ackTimeout, true, silence(port, ackTimeout)
            + " (or is " + socket + " not CH's hybrid vsock socket, e.g. its API socket?)");
      }
      int hostPort = parseAck(line, port);
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
   * Stats the socket path: missing means "not there yet" (retry); anything else that is not a socket, or a
   * path we may not look at, will not get better by waiting.
   */
  private void checkSocketFile() throws IOException {
    Object mode;
    try {
      mode = Files.getAttribute(socket, "unix:mode");
    } catch (NoSuchFileException e) {
      // Newer JDKs report ENOTDIR (a file where a directory should be) as NoSuchFileException too: waiting
      // cannot fix that, only a missing socket file (CH not started yet) can appear.
      Path blocking = ancestorThatIsNotADirectory(socket);
      if (blocking != null) {
        throw new IOException("Not a directory: " + blocking + " is a file; check the socket path", e);
      }
      throw new NotListeningYet("socket file not there yet", e);
    } catch (AccessDeniedException e) {
      throw new IOException("permission denied on " + socket + "; run as a user that may use CH's socket", e);
    } catch (FileSystemException e) {
      throw new IOException((e.getReason() != null ? e.getReason() : e.toString())
          + "; check the socket path", e);
    }
    if (mode instanceof Integer m && (m & S_IFMT) != S_IFSOCK) {
      // Connecting to a regular file or a directory gives ECONNREFUSED, which would be retried forever.
      throw new IOException(socket + " exists but is not a socket; is the path right?");
    }
  }

  /** The nearest existing ancestor of {@code path} if it is not a directory, else null. */
  private static Path ancestorThatIsNotADirectory(Path path) {
    for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isDirectory(p) ? null : p;
      }
    }
    return null;
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

  /**
   * Reads up to and including '\n' one byte at a time: a buffered read could swallow the bytes the guest
   * sends right after the ack (an SSH server speaks first and CH may deliver both in one segment).
   */
  private String readAckLine(AFUNIXSocket s, int port, long ackEnd) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder(16);
    while (true) {
      // Re-arm before each byte, so a peer trickling bytes cannot stretch the wait past ackEnd.
      long left = ackEnd - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("ack deadline");
      }
      s.setSoTimeout(millis(left));
      int b;
      try {
        b = in.read();
      } catch (ConnectionResetSocketException e) {
        throw new NotListeningYet("closed before OK for port " + port + " (" + e.getMessage() + ")", e);
      }
      if (b < 0) {
        // CH closes the stream when no guest process listens on the port (yet).
        throw new NotListeningYet("closed before OK for port " + port + " (guest not listening yet?)",
            new EOFException("EOF before the OK line"));
      }
      if (b == '\n') {
        return sb.toString();
      }
      sb.append((char) b);
      if (sb.length() > MAX_ACK) {
        throw new VsockHandshakeException(garbage(port, sb.toString()));
      }
    }
  }

  private int parseAck(String line, int port) {
    String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    if (l.toUpperCase(Locale.ROOT).startsWith("OK ")) {
      try {
        long n = Long.parseLong(l.substring(3).trim());
        if (n >= 0 && n <= 0xFFFF_FFFFL) {
          return (int) n;
        }
      } catch (NumberFormatException e) {
        // fall through to the handshake error below
      }
    }
    throw new VsockHandshakeException(garbage(port, l));
  }

  private String garbage(int port, String reply) {
    String shown = reply.length() > 40 ? reply.substring(0, 40) + "..." : reply;
    return "vsock: CONNECT " + port + " via " + socket + ": expected 'OK <port>', got '"
        + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'; is this a cloud-hypervisor hybrid vsock socket?";
  }

  /** Rounds up, and at least 1 ms: Java socket timeouts of 0 mean "forever". */
  private static int millis(long nanos) {
    long ms = (nanos + 999_999) / 1_000_000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }

  /** The failures worth another attempt: the guest (or CH) is not listening yet. */
  private static final class NotListeningYet extends IOException {
    private static final long serialVersionUID = 1L;
    /** The attempt's wait was the rest of the deadline, not its full step limit. */
    final boolean cutByDeadline;
    /** The attempt connected and sent CONNECT, and nothing came back: no OK, no close. */
    final boolean silence;

    NotListeningYet(String message, Throwable cause) {
      this(message, cause, false, false);
    }

    NotListeningYet(String message, Throwable cause, boolean cutByDeadline, boolean silence) {
      super(message, cause);
      this.cutByDeadline = cutByDeadline;
      this.silence = silence;
    }
  }

  /** Configures a {@link HybridVsockDialer}; not thread-safe. */
  public static final class Builder {
    private Path socket;
    private Duration dialTimeout = Duration.ofSeconds(2);
    private Duration ackTimeout = Duration.ofSeconds(3);
    private Duration retryInterval = Duration.ofMillis(100);
    private Duration deadline = Duration.ofSeconds(30);

    private Builder() {}

    /** The hybrid vsock Unix socket ({@code "socket"} of CH's vsock config). */
    public Builder socket(Path socket) {
      this.socket = Objects.requireNonNull(socket, "socket == null");
      return this;
    }

    /** Limit on one Unix-socket connect. Default 2 s. */
    public Builder dialTimeout(Duration d) {
      this.dialTimeout = Durations.positive(d, "dialTimeout");
      return this;
    }

    /**
     * Limit on waiting for {@code OK} after {@code CONNECT}; not retried when it passes. Default 3 s: keep it
     * above the ~2 s after which CH closes a request the guest did not answer (that close is retried).
     */
    public Builder ackTimeout(Duration d) {
      this.ackTimeout = Durations.positive(d, "ackTimeout");
      return this;
    }

    /** Pause between attempts. Default 100 ms. */
    public Builder retryInterval(Duration d) {
      this.retryInterval = Durations.positive(d, "retryInterval");
      return this;
    }

    /** Overall limit on {@link #dial}, across all retries. Default 30 s. */
    public Builder deadline(Duration d) {
      this.deadline = Durations.positive(d, "deadline");
      return this;
    }

    /**
     * Builds the dialer.
     *
     * @throws NullPointerException if no socket was set
     */
    public HybridVsockDialer build() {
      return new HybridVsockDialer(this);
    }

  }
}
