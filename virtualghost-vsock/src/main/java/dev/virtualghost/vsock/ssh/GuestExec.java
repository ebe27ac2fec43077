package dev.virtualghost.vsock.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.virtualghost.vsock.internal.DaemonThreads;
import dev.virtualghost.vsock.ssh.GuestSshException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code exec} channel for {@link GuestSsh}: runs a command with a deadline, and on timeout kills it.
 *
 * <p>Killing: sshd does not signal a non-PTY command when its channel closes. The RFC 4254 {@code signal}
 * request is sent ({@code KILL}; OpenSSH 9.2 killpg()s the session for a non-root user) but OpenSSH refuses it
 * for root logins ("session signalling requires privilege separation", as {@code GuestSshIT} shows), and
 * root is the usual guest user. So the command is prefixed with a line that reports the login shell's pid on
 * stderr, framed by a 0x01 byte and stripped before the caller sees stderr; sshd setsid()s the shell, so that
 * pid is the process group of the command and all its children, and on timeout a second exec channel runs
 * {@code kill -KILL -- -<pgid>}. Needs a POSIX login shell (sh, bash, dash, ash, zsh); with another one the
 * marker is not seen and only the signal request is tried.
 *
 * <p>Stdin: the caller's stream is pumped by a daemon thread of ours, not JSch's input thread, and that
 * thread is interrupted when the command ends; an interruptible stream (pipes, sockets with timeouts) lets
 * it go at once, a blocking {@code System.in} at its next byte or EOF. Stateless; thread-safe.
 */
final class GuestExec {

    private static final Logger LOG = LoggerFactory.getLogger(GuestExec.class);
    private static final DaemonThreads STDIN_THREADS = new DaemonThreads("guest-ssh-stdin");
    private static final long POLL_NANOS = 500_000L;
    private static final int KILL_TIMEOUT_MS = 5_000;
    private static final char MARK = '\u0001';
    /** The login shell's pid is the command's process group: sshd calls setsid() before exec'ing the shell. */
    static final String PGID_LINE = "printf '\\001vg-pgid %s\\n' \"$$\" >&2\n";

    private GuestExec() {}

    static int run(
            Session session,
            String command,
            InputStream stdin,
            OutputStream stdout,
            OutputStream stderr,
            Duration timeout,
            String where) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ChannelExec ch = null;
        Thread pump = null;
        try {
            ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(PGID_LINE + command);
            ch.setOutputStream(stdout, true);
            PgidFilter err = new PgidFilter(stderr);
            ch.setErrStream(err, true);
            OutputStream toRemote = ch.getOutputStream();
            ch.connect(GuestSsh.millis(timeout));
            pump = STDIN_THREADS.newThread(() -> pump(stdin, toRemote));
            pump.start();
            awaitClosed(session, ch, err, deadline, "exec '" + command + "' " + where, timeout);
            return ch.getExitStatus();
        } catch (JSchException | IOException e) {
            throw new GuestSshException(
                    Kind.EXEC,
                    "ssh: exec '" + command + "' " + where + ": " + e.getMessage() + "; is the session still up?",
                    e);
        } finally {
            if (pump != null) {
                pump.interrupt();
            }
            if (ch != null) {
                ch.disconnect();
            }
        }
    }

    /** Copies stdin to the command, flushing each read so interactive input is not held back; EOF is passed on. */
    private static void pump(InputStream in, OutputStream toRemote) {
        byte[] buf = new byte[32 * 1024];
        try (toRemote) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                toRemote.write(buf, 0, n);
                toRemote.flush();
            }
        } catch (IOException e) {
            // The command ended (channel closed) or we were interrupted: nothing is waiting for more input.
            LOG.debug("ssh exec stdin pump ended: {}", e.toString());
        }
    }

    private static void awaitClosed(
            Session session, ChannelExec ch, PgidFilter err, long deadline, String what, Duration timeout) {
        // JSch signals completion only through isClosed(); poll finely so short commands are not slowed down.
        while (!ch.isClosed()) {
            if (System.nanoTime() - deadline > 0) {
                kill(session, ch, err.pgid());
                throw new GuestSshException(
                        Kind.TIMEOUT,
                        "ssh: " + what + " did not finish within " + timeout.toMillis()
                                + " ms and was killed; raise the timeout or check the command",
                        null);
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                kill(session, ch, err.pgid());
                Thread.currentThread().interrupt();
                throw new GuestSshException(
                        Kind.TIMEOUT, "ssh: " + what + " interrupted; the command was killed", null);
            }
        }
    }

    private static void kill(Session session, ChannelExec ch, long pgid) {
        try {
            ch.sendSignal("KILL");
        } catch (Exception e) {
            // The command may have ended meanwhile; the process-group kill below does not depend on this.
            LOG.debug("ssh exec: signal KILL not sent: {}", e.toString());
        }
        ch.disconnect();
        if (pgid <= 1) {
            return;
        }
        ChannelExec killer = null;
        try {
            killer = (ChannelExec) session.openChannel("exec");
            killer.setCommand("kill -KILL -- -" + pgid);
            killer.setInputStream(null);
            killer.connect(KILL_TIMEOUT_MS);
            long end = System.nanoTime() + KILL_TIMEOUT_MS * 1_000_000L;
            while (!killer.isClosed() && System.nanoTime() - end < 0) {
                LockSupport.parkNanos(POLL_NANOS);
            }
        } catch (JSchException e) {
            LOG.warn("ssh exec: could not kill timed-out process group {}: {}", pgid, e.toString());
        } finally {
            if (killer != null) {
                killer.disconnect();
            }
        }
    }

    /**
     * Passes stderr through, except a first line {@code \001vg-pgid <n>\n} written by {@link #PGID_LINE},
     * which it parses and drops. Written to by JSch's session thread only.
     */
    static final class PgidFilter extends OutputStream {
        private final OutputStream out;
        private final StringBuilder head = new StringBuilder();
        private boolean passing;
        private volatile long pgid = -1;

        PgidFilter(OutputStream out) {
            this.out = out;
        }

        long pgid() {
            return pgid;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int i = off;
            int end = off + len;
            while (!passing && i < end) {
                char c = (char) (b[i++] & 0xff);
                if (head.length() == 0 && c != MARK) {
                    passing = true; // no marker (not a POSIX shell?): everything is the command's
                    i--;
                    break;
                }
                if (c == '\n') {
                    parse();
                    passing = true;
                    break;
                }
                head.append(c);
                if (head.length() > 40) {
                    passing = true;
                    byte[] kept = head.toString().getBytes(StandardCharsets.ISO_8859_1);
                    out.write(kept);
                    break;
                }
            }
            if (i < end) {
                out.write(b, i, end - i);
            }
        }

        private void parse() {
            String h = head.toString();
            if (h.startsWith(MARK + "vg-pgid ")) {
                try {
                    pgid = Long.parseLong(h.substring(9).trim());
                } catch (NumberFormatException e) {
                    LOG.debug("ssh exec: bad pgid line {}", h);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
