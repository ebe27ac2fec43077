package dev.virtualghost.ch;

import dev.virtualghost.ch.internal.process.ProcStat;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Names one VMM process for good, so that recovery after a crash (e.g. the launcher's {@code clean}) can find a
 * VMM its owner left behind and stop it, without ever signalling an unrelated process that reuses the pid.
 * {@link ChProcess} writes it as {@code vmm.record} into its runtime directory right after the spawn.
 *
 * <pre>{@code
 * VmmProcessRecord.read(runtimeDir.resolve("vmm.record"))
 *         .filter(VmmProcessRecord::isRunning)
 *         .ifPresent(r -> r.stop(Duration.ofSeconds(5)));
 * }</pre>
 *
 * @param pid the VMM's process id
 * @param startTicks its start time, field 22 of {@code /proc/<pid>/stat} (clock ticks since boot)
 * @param command its command line
 * @param socket its API socket
 */
public record VmmProcessRecord(long pid, long startTicks, List<String> command, Path socket) {

    /** The file name {@link ChProcess} uses in its runtime directory. */
    public static final String FILE_NAME = "vmm.record";

    /**
     * Checks and copies the components.
     *
     * @param pid the VMM's process id, positive
     * @param startTicks its start time in clock ticks since boot, as {@code /proc/<pid>/stat} field 22 shows it
     * @param command its command line; copied
     * @param socket its API socket
     * @throws IllegalArgumentException if {@code pid} is zero or negative
     * @throws NullPointerException if {@code command}, one of its elements, or {@code socket} is null
     */
    public VmmProcessRecord {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        command = List.copyOf(command);
        Objects.requireNonNull(socket, "socket == null");
    }

    /**
     * The record of a live process, its start time read from {@code /proc}.
     *
     * @param pid the process id of a running VMM
     * @param command its command line; copied
     * @param socket its API socket
     * @return a record naming exactly that process
     * @throws IllegalArgumentException if no such process runs
     */
    public static VmmProcessRecord of(long pid, List<String> command, Path socket) {
        OptionalLong ticks = ProcStat.startTicks(pid);
        if (ticks.isEmpty()) {
            throw new IllegalArgumentException("no running process " + pid);
        }
        return new VmmProcessRecord(pid, ticks.getAsLong(), command, socket);
    }

    /**
     * Writes the record to {@code file} atomically (a temporary file in the same directory, then a rename),
     * readable only by its owner (0600). An existing file is replaced.
     *
     * @param file the record file, e.g. {@code vmm.record} in a runtime directory
     * @throws UncheckedIOException when it cannot be written
     */
    public void writeTo(Path file) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("startTicks", Long.toString(startTicks));
        p.setProperty("socket", socket.toString());
        p.setProperty("command.count", Integer.toString(command.size()));
        for (int i = 0; i < command.size(); i++) {
            p.setProperty("command." + i, command.get(i));
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(
                    dir,
                    "." + file.getFileName(),
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "VirtualGhost VMM process record");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("cannot write VMM record " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a record written by {@link #writeTo}; never throws for a bad file.
     *
     * @param file the record file
     * @return the record, or empty when the file is missing, unreadable or is not such a record
     */
    public static Optional<VmmProcessRecord> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            int count = Integer.parseInt(p.getProperty("command.count", "0"));
            List<String> command = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                command.add(Objects.requireNonNull(p.getProperty("command." + i)));
            }
            return Optional.of(new VmmProcessRecord(
                    Long.parseLong(p.getProperty("pid")),
                    Long.parseLong(p.getProperty("startTicks")),
                    command,
                    Path.of(Objects.requireNonNull(p.getProperty("socket")))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Tells whether the recorded process still runs, reading {@code /proc}.
     *
     * @return true while its pid is alive, not a zombie, and has the recorded start time (so a recycled pid is false)
     */
    public boolean isRunning() {
        OptionalLong now = ProcStat.startTicks(pid);
        return now.isPresent() && now.getAsLong() == startTicks;
    }

    /**
     * Stops the process: SIGTERM, up to {@code grace} for it to exit, then SIGKILL and up to 5 s more. Signals
     * are only sent while {@link #isRunning()}, so a recycled pid is never hit. Blocks the caller for at most
     * {@code grace} plus 5 s.
     *
     * @param grace how long to wait after SIGTERM before sending SIGKILL
     * @return true once the process is gone (also when it was gone already)
     * @throws NullPointerException if {@code grace} is null
     */
    public boolean stop(Duration grace) {
        Objects.requireNonNull(grace, "grace == null");
        if (!signal(false) || awaitGone(grace)) {
            return !isRunning();
        }
        signal(true);
        return awaitGone(Duration.ofSeconds(5));
    }

    /** Sends SIGTERM or SIGKILL if the process still runs; false when it is gone. */
    private boolean signal(boolean kill) {
        if (!isRunning()) {
            return false;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        h.ifPresent(kill ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
        return h.isPresent();
    }

    private boolean awaitGone(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (isRunning()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning();
            }
        }
        return true;
    }
}
