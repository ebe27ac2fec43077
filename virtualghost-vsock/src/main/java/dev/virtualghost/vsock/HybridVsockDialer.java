package dev.virtualghost.vsock;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
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
 * "guest not listening yet" failures are retried (socket file missing, connection refused, closed before
 * {@code OK}, no ack in time) until {@code deadline}; a reply that is not {@code OK <n>} fails at once.
 *
 * <p>Immutable and thread-safe: one dialer may dial many connections concurrently.
 */
public final class HybridVsockDialer {

  private static final Logger LOG = LoggerFactory.getLogger(HybridVsockDialer.class);
  /** Longest ack line we accept; "OK 4294967295\n" is 14 bytes. */
  private static final int MAX_ACK = 32;

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

  public static Builder builder() {
    return new Builder();
  }

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

  public Duration deadline() {
    return deadline;
  }

  /**
   * Connects to guest vsock {@code port}, retrying "not listening yet" failures until the deadline.
   *
   * @return a connection whose input starts with the guest's first byte; the caller closes it
   * @throws VsockHandshakeException if the muxer answers something other than {@code OK <n>}
   * @throws VsockDialException if the deadline passes; it says how many attempts over how long
   */
  public VsockConnection dial(int port) {
    if (port < 0) {
      throw new IllegalArgumentException("port < 0: " + port);
    }
    long start = System.nanoTime();
    long end = start + deadline.toNanos();
    int attempts = 0;
    IOException last = null;
    while (true) {
      attempts++;
      try {
        return attempt(port);
      } catch (IOException e) {
        last = e;
        LOG.debug("vsock dial {} port {} attempt {} failed: {}", socket, port, attempts, e.toString());
      }
      long now = System.nanoTime();
      long sleep = Math.min(retryInterval.toNanos(), end - now);
      if (sleep <= 0) {
        Duration elapsed = Duration.ofNanos(now - start);
        throw new VsockDialException(
            "vsock: dial guest port " + port + " via " + socket + ": gave up after " + attempts
                + " attempts over " + elapsed.toMillis() + " ms (last: " + last
                + "); is the guest up and listening on that port?",
            attempts, elapsed, last);
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

  /** One attempt; IOException means "retry", VsockHandshakeException means "stop". */
  private VsockConnection attempt(int port) throws IOException {
    if (!Files.exists(socket)) {
      throw new NoSuchFileException(socket.toString(), null, "vsock socket not there yet");
    }
    AFUNIXSocket s = AFUNIXSocket.newInstance();
    boolean ok = false;
    try {
      s.connect(AFUNIXSocketAddress.of(socket), millis(dialTimeout));
      OutputStream out = s.getOutputStream();
      // Always the full line: CH can misbehave when a client closes before sending the newline.
      out.write(("CONNECT " + port + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.setSoTimeout(millis(ackTimeout));
      String line = readAckLine(s.getInputStream(), port);
      int hostPort = parseAck(line, port);
      s.setSoTimeout(0);
      ok = true;
      return new VsockConnection(s, port, hostPort);
    } catch (SocketTimeoutException e) {
      throw new SocketTimeoutException("no OK from " + socket + " for port " + port + " within "
          + ackTimeout.toMillis() + " ms");
    } finally {
      if (!ok) {
        s.close();
      }
    }
  }

  /**
   * Reads up to and including '\n' one byte at a time: a buffered read could swallow the bytes the guest
   * sends right after the ack (an SSH server speaks first and CH may deliver both in one segment).
   */
  private String readAckLine(InputStream in, int port) throws IOException {
    StringBuilder sb = new StringBuilder(16);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed before OK for port " + port + " (guest not listening yet?)");
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

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
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
      this.dialTimeout = positive(d, "dialTimeout");
      return this;
    }

    /** Limit on waiting for {@code OK} after {@code CONNECT}. Default 3 s (CH drops pending ones after ~2 s). */
    public Builder ackTimeout(Duration d) {
      this.ackTimeout = positive(d, "ackTimeout");
      return this;
    }

    /** Pause between attempts. Default 100 ms. */
    public Builder retryInterval(Duration d) {
      this.retryInterval = positive(d, "retryInterval");
      return this;
    }

    /** Overall limit on {@link #dial}, across all retries. Default 30 s. */
    public Builder deadline(Duration d) {
      this.deadline = positive(d, "deadline");
      return this;
    }

    public HybridVsockDialer build() {
      return new HybridVsockDialer(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name + " == null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " <= 0: " + d);
      }
      return d;
    }
  }
}
