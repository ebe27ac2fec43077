package dev.virtualghost.vsock.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.internal.DaemonThreads;
import dev.virtualghost.vsock.internal.Durations;
import dev.virtualghost.vsock.ssh.internal.JschLogging;
import dev.virtualghost.vsock.ssh.internal.KnownHostsFile;
import dev.virtualghost.vsock.ssh.internal.PinnedHostKeys;
import dev.virtualghost.vsock.ssh.internal.SshFailures;
import dev.virtualghost.vsock.ssh.internal.VsockProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

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
 * <p>Timeouts: {@link Builder#connectTimeout} bounds the vsock dial and each wait of the SSH handshake; an
 * exec's timeout kills the command; an SFTP timeout bounds the whole transfer.
 *
 * <p>Thread-safe: JSch multiplexes channels, so several threads may run {@code exec}/{@code upload} at
 * once on one session. The caller closes it; closing does not delete the {@link EphemeralKey}.
 */
public final class GuestSsh implements AutoCloseable {

    private final Session session;
    private final int guestPort;
    private final String user;
    /** Ends overdue SFTP transfers; its one thread exists only while a transfer is pending. */
    private final ScheduledThreadPoolExecutor watchdog;

    private GuestSsh(Session session, int guestPort, String user) {
        this.session = session;
        this.guestPort = guestPort;
        this.user = user;
        this.watchdog = new ScheduledThreadPoolExecutor(1, new DaemonThreads("guest-ssh-sftp-watchdog"));
        watchdog.setRemoveOnCancelPolicy(true);
        watchdog.setKeepAliveTime(1, TimeUnit.SECONDS);
        watchdog.allowCoreThreadTimeOut(true);
    }

    /**
     * Returns a builder; {@link Builder#dialer}, an identity and a pinned host key are needed to connect.
     *
     * @return a new builder for user root on guest vsock port 22
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the fingerprint of the host key the guest presented (and that matched a pin).
     *
     * @return {@code SHA256:} followed by the base64 digest, as {@code ssh-keygen -l} prints it
     */
    public String hostKeyFingerprint() {
        return "SHA256:" + session.getHostKey().getFingerPrint(new JSch()).replaceFirst("^SHA256:", "");
    }

    /**
     * Runs {@code command}, capturing stdout and stderr separately; its stdin is empty. Output is held in memory.
     *
     * @param command the command line, run by the guest user's shell (as {@code ssh host command} runs it)
     * @param timeout how long the command may run, positive
     * @return the exit status and the captured output
     * @throws NullPointerException if {@code command} or {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws GuestSshException of kind TIMEOUT if it does not finish within {@code timeout} (the command is
     *     sent SIGKILL through an SSH {@code signal} request, see {@link #exec(String, InputStream,
     *     OutputStream, OutputStream, Duration)}), or EXEC if the channel fails
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
     * <p>On timeout the process sshd started for the command (the user's shell, or the command itself where
     * the shell execs a lone command, as bash and dash do) is sent SIGKILL; children of a compound command
     * may survive it. {@code stdin} is copied by a daemon thread that is interrupted when the command ends,
     * so an interruptible stream leaves no thread behind; an uninterruptible one (a blocking
     * {@code System.in}) releases it at its next byte or EOF.
     *
     * @param command the command line, run by the guest user's shell (as {@code ssh host command} runs it)
     * @param stdin copied to the command's standard input until EOF; not closed here
     * @param stdout receives the command's standard output; not closed here
     * @param stderr receives the command's standard error; not closed here
     * @param timeout how long the command may run, positive
     * @return the command's exit status, or -1 if the server sent none
     * @throws NullPointerException if {@code command}, {@code stdin} or {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws GuestSshException of kind TIMEOUT or EXEC, as {@link #exec(String, Duration)}
     */
    public int exec(String command, InputStream stdin, OutputStream stdout, OutputStream stderr, Duration timeout) {
        Objects.requireNonNull(command, "command == null");
        Objects.requireNonNull(stdin, "stdin == null");
        Durations.positive(timeout, "timeout");
        return GuestExec.run(session, command, stdin, stdout, stderr, timeout, where());
    }

    /**
     * Interactive shell on this process's terminal (raw mode, window-size changes forwarded); returns the exit
     * status once the remote shell exits.
     *
     * @return the remote shell's exit status
     * @throws UncheckedIOException if the local terminal cannot be opened
     * @throws GuestSshException of kind EXEC if the shell channel fails
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
     * @param terminal the local terminal; the caller keeps owning it
     * @return the remote shell's exit status
     * @throws NullPointerException if {@code terminal} is null
     * @throws GuestSshException of kind EXEC if the shell channel fails
     */
    public int shell(Terminal terminal) {
        return GuestShell.run(session, Objects.requireNonNull(terminal, "terminal == null"), where());
    }

    /**
     * Copies a local file to {@code remotePath} with SFTP; {@code timeout} bounds the whole transfer,
     * opening the channel included.
     *
     * @param local the local file to send
     * @param remotePath where to write it in the guest; relative paths are relative to the user's home directory
     * @param timeout the limit on the whole transfer, positive
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws GuestSshException of kind TIMEOUT if it takes longer (the channel is closed; the remote file is
     *     left partly written), or SFTP on any other failure
     */
    public void upload(Path local, String remotePath, Duration timeout) {
        Durations.positive(timeout, "timeout");
        GuestSftp.run(
                session,
                watchdog,
                "upload " + local + " to " + remotePath,
                timeout,
                c -> c.put(local.toString(), remotePath),
                where());
    }

    /**
     * Copies {@code remotePath} to a local file with SFTP; {@code timeout} bounds the whole transfer.
     *
     * @param remotePath the file in the guest; relative paths are relative to the user's home directory
     * @param local the local file to write; replaced if it exists
     * @param timeout the limit on the whole transfer, positive
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws GuestSshException of kind TIMEOUT if it takes longer (the local file is left partly written),
     *     or SFTP on any other failure
     */
    public void download(String remotePath, Path local, Duration timeout) {
        Durations.positive(timeout, "timeout");
        GuestSftp.run(
                session,
                watchdog,
                "download " + remotePath + " to " + local,
                timeout,
                c -> c.get(remotePath, local.toString()),
                where());
    }

    private String where() {
        return "as " + user + " on guest vsock port " + guestPort;
    }

    /**
     * Tells whether the SSH session is still up.
     *
     * @return false once keep-alive probes went unanswered, the guest hung up, or {@link #close()} was called
     */
    public boolean isConnected() {
        return session.isConnected();
    }

    /** Ends the SSH session and its vsock connection; idempotent. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        session.disconnect();
    }

    static int millis(Duration d) {
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
        private final Map<String, String> config = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the dialer for the guest's hybrid vsock socket. Required.
         *
         * @param dialer the dialer; its deadline bounds the dial together with {@link #connectTimeout(Duration)}
         * @return this builder
         * @throws NullPointerException if {@code dialer} is null
         */
        public Builder dialer(HybridVsockDialer dialer) {
            this.dialer = Objects.requireNonNull(dialer, "dialer == null");
            return this;
        }

        /**
         * Sets the guest's sshd vsock port. Default 22.
         *
         * @param port the vsock port sshd listens on in the guest
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is negative
         */
        public Builder port(int port) {
            if (port < 0) {
                throw new IllegalArgumentException("port < 0: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the guest user to log in as. Default root.
         *
         * @param user the user name in the guest
         * @return this builder
         * @throws NullPointerException if {@code user} is null
         */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user == null");
            return this;
        }

        /**
         * Pins the guest's host key, as an OpenSSH public key line ({@code ssh-ed25519 AAAA... [comment]}); may be
         * called several times to accept any of several keys.
         *
         * @param openSshPublicKeyLine the key line, e.g. the guest's {@code /etc/ssh/ssh_host_ed25519_key.pub}
         * @return this builder
         * @throws NullPointerException if {@code openSshPublicKeyLine} is null
         * @throws IllegalArgumentException if it is not an OpenSSH public key line
         */
        public Builder hostKey(String openSshPublicKeyLine) {
            pins.add(PinnedHostKeys.parseLine(Objects.requireNonNull(openSshPublicKeyLine, "hostKey == null")));
            return this;
        }

        /**
         * Pins the keys listed for {@code hostName} in an OpenSSH known_hosts file (plain or hashed names), in addition
         * to those given to {@link #hostKey(String)}; the file is read by {@link #connect()}.
         *
         * @param file the known_hosts file
         * @param hostName the name the guest's keys are listed under
         * @return this builder
         * @throws NullPointerException if an argument is null
         */
        public Builder knownHosts(Path file, String hostName) {
            this.knownHosts = Objects.requireNonNull(file, "file == null");
            this.knownHostsName = Objects.requireNonNull(hostName, "hostName == null");
            return this;
        }

        /**
         * Authenticates with {@code key}'s private key file (the key stays open; the caller closes it).
         *
         * @param key a key whose public line is in the guest user's {@code authorized_keys}
         * @return this builder
         * @throws NullPointerException if {@code key} is null
         */
        public Builder identity(EphemeralKey key) {
            this.identity = key.privateKeyPath();
            return this;
        }

        /**
         * Authenticates with an unencrypted OpenSSH/PEM private key file.
         *
         * @param privateKey the key file, read by {@link #connect()}
         * @return this builder
         * @throws NullPointerException if {@code privateKey} is null
         */
        public Builder identityFile(Path privateKey) {
            this.identity = Objects.requireNonNull(privateKey, "privateKey == null");
            return this;
        }

        /**
         * Limit on the vsock dial (the dialer's own deadline, if shorter, still applies) and on each wait of the
         * SSH handshake and authentication. Default 30 s.
         *
         * @param d the limit, positive
         * @return this builder
         * @throws NullPointerException if {@code d} is null
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Durations.positive(d, "connectTimeout");
            return this;
        }

        /**
         * Sets a JSch session option, e.g. {@code kex}, {@code cipher.c2s} / {@code cipher.s2c} or
         * {@code mac.c2s} / {@code mac.s2c} to pin algorithms; applied before the options this class sets itself
         * ({@code StrictHostKeyChecking}, {@code PreferredAuthentications}, {@code server_host_key}), so those cannot be
         * overridden.
         *
         * @param key the JSch option name
         * @param value its value, e.g. {@code "curve25519-sha256"} for {@code kex}
         * @return this builder
         * @throws NullPointerException if an argument is null
         */
        public Builder jschConfig(String key, String value) {
            config.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
            return this;
        }

        /**
         * Sets the interval of keep-alive probes (OpenSSH's ServerAliveInterval); the session fails after 3 unanswered
         * probes. Default 15 s.
         *
         * @param d the interval, positive
         * @return this builder
         * @throws NullPointerException if {@code d} is null
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder keepAlive(Duration d) {
            this.keepAlive = Durations.positive(d, "keepAlive");
            return this;
        }

        /**
         * Dials the guest and authenticates.
         *
         * @return the connected session, which the caller owns and must {@link GuestSsh#close() close}
         * @throws NullPointerException if no dialer was set
         * @throws IllegalStateException if no identity was set
         * @throws UncheckedIOException if the known_hosts file cannot be read
         * @throws GuestSshException of kind HOST_KEY_MISMATCH, HOST_KEY_UNKNOWN, AUTH or CONNECT
         * @throws dev.virtualghost.vsock.VsockException (dial or handshake) if the vsock connection cannot be made
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
                for (var e : config.entrySet()) {
                    s.setConfig(e.getKey(), e.getValue());
                }
                s.setConfig("StrictHostKeyChecking", "yes");
                s.setConfig("PreferredAuthentications", "publickey");
                if (!all.isEmpty()) {
                    // Ask only for the pinned key types, so a server that also has other keys shows the pinned one.
                    s.setConfig("server_host_key", PinnedHostKeys.algorithms(all));
                }
                s.setServerAliveInterval(millis(keepAlive));
                s.setServerAliveCountMax(3);
                s.connect(millis(connectTimeout));
                return new GuestSsh(s, port, user);
            } catch (JSchException e) {
                if (s != null) {
                    s.disconnect();
                }
                throw SshFailures.translate(e, repo, source, port, user, identity);
            }
        }
    }
}
