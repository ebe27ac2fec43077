package dev.virtualghost.ch.internal.process;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChException;
import dev.virtualghost.ch.ChProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a {@code cloud-hypervisor} child by escalation: {@code vmm.shutdown} through its API socket, then SIGTERM,
 * then SIGKILL (to its descendants too), each followed by a bounded wait for the exit.
 *
 * <p>Thread-safe (immutable). It closes the short-lived client it opens for {@code vmm.shutdown}; the caller
 * keeps owning the process, its socket and its files.
 */
public final class EscalatingShutdown {
    /** Logged as ChProcess: callers configure logging for the type they use. */
    private static final Logger LOG = LoggerFactory.getLogger(ChProcess.class);

    private final Duration shutdownTimeout;
    private final Duration termTimeout;
    private final Duration killTimeout;

    /** Each timeout bounds the wait after its step: {@code vmm.shutdown} (also its call), SIGTERM, SIGKILL. */
    public EscalatingShutdown(Duration shutdownTimeout, Duration termTimeout, Duration killTimeout) {
        this.shutdownTimeout = shutdownTimeout;
        this.termTimeout = termTimeout;
        this.killTimeout = killTimeout;
    }

    /**
     * Stops {@code process}, asking through {@code socket} first when the process is alive and the socket (null:
     * none, the API is not known to be ours) exists;
     * returns once it exited or the SIGKILL wait ran out (logged).
     *
     * @throws InterruptedException if interrupted while waiting; the process may still be alive
     */
    public void stop(Process process, Path socket) throws InterruptedException {
        if (process.isAlive() && socket != null && Files.exists(socket)) {
            try (ChClient shutdownClient = ChClient.builder()
                    .socket(socket)
                    .callTimeout(shutdownTimeout)
                    .build()) {
                shutdownClient.shutdownVmm();
            } catch (ChException e) {
                LOG.debug("vmm.shutdown on {} failed; escalating to SIGTERM", socket, e);
            }
            if (process.waitFor(shutdownTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.debug("cloud-hypervisor {} exited after vmm.shutdown", process.pid());
            }
        }
        if (process.isAlive()) {
            LOG.debug("sending SIGTERM to cloud-hypervisor {}", process.pid());
            process.destroy();
            process.waitFor(termTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (process.isAlive()) {
            LOG.warn("cloud-hypervisor {} ignored SIGTERM for {}; sending SIGKILL", process.pid(), termTimeout);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            if (!process.waitFor(killTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("cloud-hypervisor {} still alive {} after SIGKILL", process.pid(), killTimeout);
            }
        }
    }
}
