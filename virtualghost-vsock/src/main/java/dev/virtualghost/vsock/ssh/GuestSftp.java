package dev.virtualghost.vsock.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import dev.virtualghost.vsock.ssh.GuestSshException.Kind;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One SFTP transfer for {@link GuestSsh}, bounded as a whole: opening the channel and the transfer share one
 * timeout. JSch's SFTP calls block the calling thread on the channel with no timeout of their own, so a
 * watchdog task closes the channel and interrupts the caller when the time is up. Stateless; thread-safe.
 */
final class GuestSftp {

    /** One SFTP operation on an open channel. */
    @FunctionalInterface
    interface Op {
        void run(ChannelSftp c) throws SftpException;
    }

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int FIRED = 2;
    private static final int FIRED_DONE = 3;

    private GuestSftp() {}

    static void run(
            Session session, ScheduledExecutorService watchdog, String what, Duration timeout, Op op, String where) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ChannelSftp ch = null;
        ScheduledFuture<?> alarm = null;
        // RUNNING -> DONE by the caller, or RUNNING -> FIRED by the watchdog: exactly one of them wins.
        AtomicInteger state = new AtomicInteger(RUNNING);
        try {
            ch = (ChannelSftp) session.openChannel("sftp");
            ChannelSftp c = ch;
            Thread caller = Thread.currentThread();
            ch.connect(GuestSsh.millis(timeout));
            alarm = watchdog.schedule(
                    () -> {
                        if (!state.compareAndSet(RUNNING, FIRED)) {
                            return;
                        }
                        c.disconnect();
                        // The transfer waits in a pipe read that a closed channel alone does not always end.
                        caller.interrupt();
                        state.set(FIRED_DONE);
                    },
                    Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            op.run(ch);
            if (!state.compareAndSet(RUNNING, DONE)) {
                throw timeout(what, timeout, where, null);
            }
        } catch (JSchException | SftpException e) {
            if (!state.compareAndSet(RUNNING, DONE)) {
                throw timeout(what, timeout, where, e);
            }
            throw new GuestSshException(
                    Kind.SFTP,
                    "ssh: sftp " + what + " " + where + ": " + e.getMessage()
                            + "; does the guest's sshd have the sftp subsystem and the path exist?",
                    e);
        } finally {
            if (state.compareAndSet(RUNNING, DONE) || state.get() == DONE) {
                if (alarm != null) {
                    alarm.cancel(false);
                }
            } else {
                // Our interrupt, not the caller's: wait for the task to have sent it, then clear it.
                while (state.get() != FIRED_DONE) {
                    Thread.onSpinWait();
                }
                Thread.interrupted();
            }
            if (ch != null) {
                ch.disconnect();
            }
        }
    }

    private static GuestSshException timeout(String what, Duration timeout, String where, Exception cause) {
        return new GuestSshException(
                Kind.TIMEOUT,
                "ssh: sftp " + what + " " + where + " did not finish within " + timeout.toMillis()
                        + " ms; raise the timeout or check the guest's disk and link",
                cause);
    }
}
