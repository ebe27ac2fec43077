package dev.virtualghost.vsock.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.ChannelShell;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import dev.virtualghost.vsock.GuestSshException;
import dev.virtualghost.vsock.GuestSshException.Kind;
import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.VsockException;
import dev.virtualghost.vsock.ssh.internal.JschLogging;
import dev.virtualghost.vsock.ssh.internal.KnownHostsFile;
import dev.virtualghost.vsock.ssh.internal.PinnedHostKeys;
import dev.virtualghost.vsock.ssh.internal.VsockProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingInputStream;

/**
 * SSH into the guest over CH's hybrid vsock (no TCP), with the guest's host key pinned.
 *
 * <pre>{@code
 * try (EphemeralKey key = EphemeralKey.generate()) {
 *   // put key.publicKeyLine() into the guest's authorized_keys (e.g. via cloud-init), then:
 *   try (GuestSsh ssh = GuestSsh.builder().dialer(dialer).user("root")
 *       .hostKey("ssh-ed25519 AAAA...").identity(key).connect()) {
 *     ExecResult r = ssh.exec("nvidia-smi -L", Duration.ofSeconds(10));
 *   }
 * }
 * }</pre>
 *
 * <p>Host keys: StrictHostKeyChecking=yes against a repository holding only the pinned keys (given as OpenSSH
 * public key lines or read from a known_hosts file); an unknown or different key fails with both fingerprints.
 *
 * <p>Thread-safe: JSch multiplexes channels, so several threads may run {@code exec}/{@code upload} at
 * once on one session. The caller closes it; closing does not delete the {@link EphemeralKey}.
 */
public final class GuestSsh implements AutoCloseable {

  private static final long POLL_NANOS = 500_000L;

  private final Session session;
  private final int guestPort;
  private final String user;

  private GuestSsh(Session session, int guestPort, String user) {
    this.session = session;
    this.guestPort = guestPort;
    this.user = user;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The SHA256 fingerprint of the host key the guest presented. */
  public String hostKeyFingerprint() {
    return "SHA256:" + session.getHostKey().getFingerPrint(new JSch()).replaceFirst("^SHA256:", "");
  }

  /**
   * Runs {@code command}, capturing stdout and stderr separately.
   *
   * @throws GuestSshException of kind TIMEOUT if it does not finish within {@code timeout} (the channel is
   *     closed; the remote process gets SIGHUP from sshd), or EXEC if the channel fails
   */
  public ExecResult exec(String command, Duration timeout) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = exec(command, InputStream.nullInputStream(), out, err, timeout);
    return new ExecResult(status, out.toByteArray(), err.toByteArray());
  }

  /**
   * Runs {@code command} with the caller's streams (not closed here); returns the exit status.
   *
   * @throws GuestSshException of kind TIMEOUT or EXEC, as {@link #exec(String, Duration)}
   */
  public int exec(String command, InputStream stdin, OutputStream stdout, OutputStream stderr, Duration timeout) {
    Objects.requireNonNull(command, "command == null");
    long deadline = System.nanoTime() + timeout.toNanos();
    ChannelExec ch = null;
    try {
      ch = (ChannelExec) session.openChannel("exec");
      ch.setCommand(command);
      ch.setInputStream(stdin, true);
      ch.setOutputStream(stdout, true);
      ch.setErrStream(stderr, true);
      ch.connect(millis(timeout));
      awaitClosed(ch, deadline, "exec '" + command + "'", timeout);
      return ch.getExitStatus();
    } catch (JSchException e) {
      throw new GuestSshException(Kind.EXEC, "ssh: exec '" + command + "' as " + user + " on guest vsock port "
          + guestPort + ": " + e.getMessage() + "; is the session still up?", e);
    } finally {
      if (ch != null) {
        ch.disconnect();
      }
    }
  }

  /**
   * Interactive shell on this process's terminal (raw mode, window-size changes forwarded); returns the exit
   * status once the remote shell exits.
   *
   * @throws UncheckedIOException if the local terminal cannot be opened
   */
  public int shell() {
    try (Terminal t = TerminalBuilder.builder().system(true).build()) {
      return shell(t);
    } catch (IOException e) {
      throw new UncheckedIOException("ssh: open the local terminal for a guest shell: " + e.getMessage(), e);
    }
  }

  /**
   * Interactive shell bridged to {@code terminal} with a PTY of the terminal's type and size; SIGWINCH on
   * the terminal resizes the PTY. The terminal is restored (not closed) on return.
   *
   * @throws GuestSshException of kind EXEC if the shell channel fails
   */
  public int shell(Terminal terminal) {
    ChannelShell ch = null;
    Attributes saved = terminal.enterRawMode();
    Terminal.SignalHandler previous = null;
    try {
      ch = (ChannelShell) session.openChannel("shell");
      ChannelShell shell = ch;
      ch.setPty(true);
      String type = terminal.getType();
      ch.setPtyType(type == null || type.startsWith("dumb") ? "xterm-256color" : type);
      resize(shell, terminal);
      previous = terminal.handle(Terminal.Signal.WINCH, s -> resize(shell, terminal));
      ch.setOutputStream(terminal.output(), true);
      OutputStream toGuest = ch.getOutputStream();
      ch.connect(30_000);
      // Pump keystrokes on this thread with a timed read, so no thread stays blocked on the terminal after
      // the remote shell exits (JSch's own input thread would).
      InputStream in = terminal.input();
      byte[] buf = new byte[4096];
      while (!ch.isClosed()) {
        int n;
        if (in instanceof NonBlockingInputStream nb) {
          int c = nb.read(20L);
          if (c < 0) {
            if (c == NonBlockingInputStream.EOF) {
              break;
            }
            continue;
          }
          buf[0] = (byte) c;
          n = 1;
          while (n < buf.length && nb.available() > 0) {
            buf[n++] = (byte) nb.read();
          }
        } else {
          n = in.read(buf);
          if (n < 0) {
            break;
          }
        }
        toGuest.write(buf, 0, n);
        toGuest.flush();
      }
      // Local input ended: pass the EOF on, so the remote shell can finish rather than wait for keys.
      toGuest.close();
      while (!ch.isClosed()) {
        Thread.sleep(5);
      }
      terminal.flush();
      return ch.getExitStatus();
    } catch (JSchException | IOException e) {
      throw new GuestSshException(Kind.EXEC, "ssh: shell as " + user + " on guest vsock port " + guestPort + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GuestSshException(Kind.EXEC, "ssh: shell interrupted", e);
    } finally {
      if (ch != null) {
        ch.disconnect();
      }
      if (previous != null) {
        terminal.handle(Terminal.Signal.WINCH, previous);
      }
      terminal.setAttributes(saved);
    }
  }

  private static void resize(ChannelShell ch, Terminal terminal) {
    Size s = terminal.getSize();
    int cols = s.getColumns() > 0 ? s.getColumns() : 80;
    int rows = s.getRows() > 0 ? s.getRows() : 24;
    ch.setPtySize(cols, rows, 0, 0);
  }

  /**
   * Copies a local file to {@code remotePath} with SFTP.
   *
   * @throws GuestSshException of kind SFTP on failure
   */
  public void upload(Path local, String remotePath, Duration timeout) {
    sftp("upload " + local + " to " + remotePath, timeout, c -> c.put(local.toString(), remotePath));
  }

  /**
   * Copies {@code remotePath} to a local file with SFTP.
   *
   * @throws GuestSshException of kind SFTP on failure
   */
  public void download(String remotePath, Path local, Duration timeout) {
    sftp("download " + remotePath + " to " + local, timeout, c -> c.get(remotePath, local.toString()));
  }

  @FunctionalInterface
  private interface SftpOp {
    void run(ChannelSftp c) throws SftpException;
  }

  /** {@code timeout} bounds opening the channel; the session's keep-alive bounds a stalled transfer. */
  private void sftp(String what, Duration timeout, SftpOp op) {
    ChannelSftp ch = null;
    try {
      ch = (ChannelSftp) session.openChannel("sftp");
      ch.connect(millis(timeout));
      op.run(ch);
    } catch (JSchException | SftpException e) {
      throw new GuestSshException(Kind.SFTP, "ssh: sftp " + what + " on guest vsock port " + guestPort + ": "
          + e.getMessage() + "; does the guest's sshd have the sftp subsystem and the path exist?", e);
    } finally {
      if (ch != null) {
        ch.disconnect();
      }
    }
  }

  private void awaitClosed(com.jcraft.jsch.Channel ch, long deadline, String what, Duration timeout) {
    // JSch signals completion only through isClosed(); poll finely so short commands are not slowed down.
    while (!ch.isClosed()) {
      if (System.nanoTime() - deadline > 0) {
        ch.disconnect();
        throw new GuestSshException(Kind.TIMEOUT, "ssh: " + what + " on guest vsock port " + guestPort
            + " did not finish within " + timeout.toMillis() + " ms; raise the timeout or check the command", null);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
      if (Thread.interrupted()) {
        ch.disconnect();
        Thread.currentThread().interrupt();
        throw new GuestSshException(Kind.TIMEOUT, "ssh: " + what + " interrupted", null);
      }
    }
  }

  public boolean isConnected() {
    return session.isConnected();
  }

  /** Ends the SSH session and its vsock connection; idempotent. */
  @Override
  public void close() {
    session.disconnect();
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  /** Configures and opens a {@link GuestSsh}; not thread-safe. */
  public static final class Builder {
    private HybridVsockDialer dialer;
    private int port = 22;
    private String user = "root";
    private final List<PinnedHostKeys.Pin> pins = new ArrayList<>();
    private Path knownHosts;
    private String knownHostsName;
    private Path identity;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration keepAlive = Duration.ofSeconds(15);

    private Builder() {}

    public Builder dialer(HybridVsockDialer dialer) {
      this.dialer = Objects.requireNonNull(dialer, "dialer == null");
      return this;
    }

    /** The guest's sshd vsock port. Default 22. */
    public Builder port(int port) {
      if (port < 0) {
        throw new IllegalArgumentException("port < 0: " + port);
      }
      this.port = port;
      return this;
    }

    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user == null");
      return this;
    }

    /** Pins the guest's host key, as an OpenSSH public key line ({@code ssh-ed25519 AAAA... [comment]}). */
    public Builder hostKey(String openSshPublicKeyLine) {
      pins.add(PinnedHostKeys.parseLine(Objects.requireNonNull(openSshPublicKeyLine, "hostKey == null")));
      return this;
    }

    /** Pins the keys listed for {@code hostName} in an OpenSSH known_hosts file (plain or hashed names). */
    public Builder knownHosts(Path file, String hostName) {
      this.knownHosts = Objects.requireNonNull(file, "file == null");
      this.knownHostsName = Objects.requireNonNull(hostName, "hostName == null");
      return this;
    }

    public Builder identity(EphemeralKey key) {
      this.identity = key.privateKeyPath();
      return this;
    }

    /** An unencrypted OpenSSH/PEM private key file. */
    public Builder identityFile(Path privateKey) {
      this.identity = Objects.requireNonNull(privateKey, "privateKey == null");
      return this;
    }

    /** Limit on dialing plus the SSH handshake and authentication. Default 30 s. */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = Objects.requireNonNull(d, "connectTimeout == null");
      return this;
    }

    /** ServerAliveInterval; the session fails after 3 unanswered probes. Default 15 s. */
    public Builder keepAlive(Duration d) {
      this.keepAlive = Objects.requireNonNull(d, "keepAlive == null");
      return this;
    }

    /**
     * Dials the guest and authenticates.
     *
     * @throws GuestSshException of kind HOST_KEY_MISMATCH, HOST_KEY_UNKNOWN, AUTH or CONNECT
     * @throws VsockException (dial or handshake) if the vsock connection cannot be made
     */
    public GuestSsh connect() {
      Objects.requireNonNull(dialer, "dialer == null");
      if (identity == null) {
        throw new IllegalStateException("no identity: call identity(EphemeralKey) or identityFile(Path)");
      }
      List<PinnedHostKeys.Pin> all = new ArrayList<>(pins);
      String source = "the pinned key";
      if (knownHosts != null) {
        try {
          all.addAll(KnownHostsFile.keysFor(knownHosts, knownHostsName));
        } catch (IOException e) {
          throw new UncheckedIOException("ssh: read known_hosts " + knownHosts + ": " + e.getMessage(), e);
        }
        source = "known_hosts " + knownHosts + " entry for " + knownHostsName;
      }
      PinnedHostKeys repo = new PinnedHostKeys(all);
      JSch jsch = new JSch();
      jsch.setInstanceLogger(new JschLogging());
      jsch.setHostKeyRepository(repo);
      Session s = null;
      try {
        jsch.addIdentity(identity.toString());
        s = jsch.getSession(user, knownHostsName != null ? knownHostsName : "guest-vsock-" + port, port);
        s.setProxy(new VsockProxy(dialer, port));
        s.setConfig("StrictHostKeyChecking", "yes");
        s.setConfig("PreferredAuthentications", "publickey");
        if (!all.isEmpty()) {
          // Ask only for the pinned key types, so a server that also has other keys shows the pinned one.
          s.setConfig("server_host_key", hostKeyAlgorithms(all));
        }
        s.setServerAliveInterval(millis(keepAlive));
        s.setServerAliveCountMax(3);
        s.connect(millis(connectTimeout));
        return new GuestSsh(s, port, user);
      } catch (JSchException e) {
        if (s != null) {
          s.disconnect();
        }
        throw translate(e, repo, source);
      }
    }

    private RuntimeException translate(JSchException e, PinnedHostKeys repo, String source) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof VsockException v) {
          return v;
        }
      }
      byte[] got = repo.presented();
      String gotFp = got == null ? "?" : PinnedHostKeys.fingerprint(got);
      String msg = String.valueOf(e.getMessage());
      if (e instanceof JSchChangedHostKeyException || (got != null && !repo.pins().isEmpty()
          && msg.startsWith("HostKey has been changed"))) {
        String expected = String.join(" or ", repo.pins().stream().map(PinnedHostKeys.Pin::fingerprint).toList());
        return new GuestSshException(Kind.HOST_KEY_MISMATCH, "ssh: guest host key mismatch for vsock port " + port
            + ": expected " + expected + ", got " + gotFp + "; the guest was replaced or " + source
            + " is stale: refusing to connect", e);
      }
      if (msg.startsWith("UnknownHostKey") || msg.contains("reject HostKey")) {
        return new GuestSshException(Kind.HOST_KEY_UNKNOWN, "ssh: unknown guest host key " + gotFp
            + " for vsock port " + port + ": nothing pinned (" + source + " has no key); pin it with hostKey(...)"
            + " or knownHosts(...)", e);
      }
      if (msg.contains("Auth fail") || msg.contains("Auth cancel") || msg.contains("USERAUTH")) {
        return new GuestSshException(Kind.AUTH, "ssh: authentication as " + user + " to guest vsock port " + port
            + " failed with key " + identity + "; is its public key in the guest's authorized_keys for " + user
            + "?", e);
      }
      return new GuestSshException(Kind.CONNECT, "ssh: connect as " + user + " to guest vsock port " + port
          + " failed: " + msg + "; is sshd running in the guest?", e);
    }

    private static String hostKeyAlgorithms(List<PinnedHostKeys.Pin> pins) {
      Set<String> algs = new LinkedHashSet<>();
      for (PinnedHostKeys.Pin p : pins) {
        if (p.type().equals("ssh-rsa")) {
          algs.add("rsa-sha2-512");
          algs.add("rsa-sha2-256");
        }
        algs.add(p.type());
      }
      return String.join(",", algs);
    }
  }
}
