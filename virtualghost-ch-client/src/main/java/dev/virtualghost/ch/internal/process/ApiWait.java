package dev.virtualghost.ch.internal.process;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChConnectionException;
import dev.virtualghost.ch.ChException;
import dev.virtualghost.ch.ChTimeoutException;
import dev.virtualghost.ch.VmmProcessRecord;
import dev.virtualghost.ch.model.VmmPingResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Decides whether an API socket belongs to our VMM: before the spawn, refuses a runtime directory that a live
 * VMM still holds; after it, waits until {@code vmm.ping} answers with OUR child's pid. An orphan answering on
 * the socket (its pid is another) is never taken for ours. Stateless.
 */
public final class ApiWait {

    /** Poll every millisecond while a quick start is likely (CH answers about 5 to 65 ms after spawn), then 10 ms. */
    private static final long FAST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final long SLOW_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long FAST_PHASE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final Duration PROBE = Duration.ofSeconds(1);

    private ApiWait() {}

    /**
     * Refuses {@code runtimeDir} when a VMM still runs in it: its {@code vmm.record} names a running process,
     * or something answers {@code vmm.ping} on {@code socket}. A socket nobody answers on is stale and left
     * alone (CH replaces a stale socket itself).
     *
     * @throws ChConnectionException naming the pid of the VMM that holds the directory
     */
    public static void refuseIfHeld(Path runtimeDir, Path socket) {
        Optional<VmmProcessRecord> record = VmmProcessRecord.read(runtimeDir.resolve(VmmProcessRecord.FILE_NAME));
        if (record.isPresent() && record.get().isRunning()) {
            throw held(runtimeDir, record.get().pid(), "its " + VmmProcessRecord.FILE_NAME);
        }
        OptionalLong pid = pingPid(socket);
        if (pid.isPresent()) {
            throw held(runtimeDir, pid.getAsLong(), "vmm.ping on " + socket);
        }
    }

    private static ChConnectionException held(Path dir, long pid, String how) {
        return new ChConnectionException(
                "ch: runtime directory " + dir + " is in use by cloud-hypervisor pid " + pid + " (" + how
                        + "); stop it (kill " + pid + ") or use another runtime directory",
                null);
    }

    /** The pid {@code vmm.ping} answers with on {@code socket}; empty when nothing answers in time. */
    public static OptionalLong pingPid(Path socket) {
        if (!Files.exists(socket)) {
            return OptionalLong.empty();
        }
        try (ChClient probe = probe(socket)) {
            Long pid = probe.ping().pid();
            return pid == null ? OptionalLong.of(-1) : OptionalLong.of(pid);
        } catch (ChException e) {
            return OptionalLong.empty();
        }
    }

    private static ChClient probe(Path socket) {
        return ChClient.builder()
                .socket(socket)
                .callTimeout(PROBE)
                .connectTimeout(PROBE)
                .build();
    }

    /**
     * Waits until {@code vmm.ping} on {@code socket} answers with {@code process}'s pid.
     *
     * @param tails the log and serial tails for messages
     * @throws ChConnectionException if the process exits first, or another VMM answers on the socket
     * @throws ChTimeoutException if no answer came within {@code timeout}
     */
    public static void await(Process process, String name, Path socket, Duration timeout, Supplier<String> tails) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ChException last = null;
        try (ChClient probe = probe(socket)) {
            while (true) {
                if (!process.isAlive()) {
                    throw died(process, name, socket, tails);
                }
                if (Files.exists(socket)) {
                    VmmPingResponse ping = null;
                    try {
                        ping = probe.ping();
                    } catch (ChConnectionException | ChTimeoutException e) {
                        // Not listening yet (a stale file, or bound before listen): retry until the deadline.
                        last = e;
                    }
                    if (ping != null && ping.pid() != null && ping.pid() == process.pid()) {
                        return;
                    }
                    if (ping != null) {
                        throw new ChConnectionException(
                                "ch: the API socket " + socket + " is answered by another"
                                        + " cloud-hypervisor (pid " + ping.pid()
                                        + "), not by the one just started (pid "
                                        + process.pid() + "); stop pid " + ping.pid()
                                        + " or use another runtime directory",
                                null);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ChTimeoutException(
                            "ch: wait for API on " + socket + " timed out after " + timeout
                                    + " (pid " + process.pid() + " still running; log tail: " + tails.get()
                                    + "); try a longer timeout",
                            last);
                }
                long waited = System.nanoTime() - (deadline - timeout.toNanos());
                long poll = waited < FAST_PHASE_NANOS ? FAST_POLL_NANOS : SLOW_POLL_NANOS;
                if (process.waitFor(Math.min(left, poll), TimeUnit.NANOSECONDS)) {
                    throw died(process, name, socket, tails);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChConnectionException("ch: wait for API on " + socket + " interrupted", e);
        }
    }

    private static ChConnectionException died(Process process, String name, Path socket, Supplier<String> tails) {
        String holder = "";
        OptionalLong other = pingPid(socket);
        if (other.isPresent() && other.getAsLong() != process.pid()) {
            holder = "; the socket is held by another cloud-hypervisor (pid " + other.getAsLong() + ")";
        }
        return new ChConnectionException(
                "ch: " + name + " exited with status " + process.exitValue() + " before its API answered on " + socket
                        + holder + "; log tail: " + tails.get(),
                null);
    }
}
