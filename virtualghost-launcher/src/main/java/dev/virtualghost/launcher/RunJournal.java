package dev.virtualghost.launcher;

import dev.virtualghost.api.VirtualGhostException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The write-ahead journal of one run: {@code run.journal} in the run's private directory, written <em>before</em>
 * each resource is acquired (the GPU claim, the VMM's socket) and completed right after (the VMM's pid with its
 * start time and command line, the {@code vfio-pci} restore journal), so that {@code clean} can replay a run
 * whose owner died: stop the VMM first, then restore the devices, then remove the files.
 *
 * <p>Liveness: the owner holds an exclusive lock on {@code owner.lock} in the same directory for the whole run.
 * The kernel drops it when the owner dies however it dies ({@code kill -9} included), so "can I take the lock"
 * is exactly "is the owner dead", with no pid to be recycled. The journal is a properties file replaced
 * atomically (0600) on every update. Thread-safe.
 */
public final class RunJournal implements AutoCloseable {
    /** The journal's file name inside a run directory. */
    public static final String FILE = "run.journal";
    /** The owner lock's file name inside a run directory. */
    public static final String LOCK = "owner.lock";
    /** The directory under the runtime root holding one directory per run. */
    public static final String RUNS = "runs";

    /** Journal key: the owner's pid. */
    public static final String OWNER_PID = "owner.pid";
    /** Journal key: the GPU claimed (written before binding). */
    public static final String GPU = "gpu.address";
    /** Journal key: the sysfs root the GPU is bound through. */
    public static final String SYS_ROOT = "gpu.sys-root";
    /** Journal key: the directory of the {@code vfio-pci} restore journal (written before binding). */
    public static final String VFIO_JOURNAL_DIR = "gpu.vfio-journal-dir";
    /** Journal key: the {@code vfio-pci} restore journal (written after binding). */
    public static final String VFIO_JOURNAL = "gpu.vfio-journal";
    /** Journal key: the VMM's API socket (written before spawning). */
    public static final String VMM_SOCKET = "vmm.socket";
    /** Journal key: the VMM's pid. */
    public static final String VMM_PID = "vmm.pid";
    /** Journal key: the VMM's start time in clock ticks ({@code /proc/<pid>/stat} field 22). */
    public static final String VMM_START = "vmm.start-ticks";
    /** Journal key: the VMM's command line. */
    public static final String VMM_COMMAND = "vmm.command";
    /** Journal key: the guest's hybrid vsock socket. */
    public static final String VSOCK_SOCKET = "vm.vsock-socket";

    /**
     * Run directories this JVM owns. Probing one of them with a second channel would be wrong twice over: POSIX
     * record locks are per process (the probe would succeed), and closing the probe's descriptor would drop the
     * owner's lock.
     */
    /** Journal key: the session's private SSH client key (0600, in the run directory). */
    public static final String SSH_IDENTITY = "ssh.identity";
    /** Journal key: the guest's pinned ed25519 host key, once the guest reported it. */
    public static final String SSH_HOST_KEY = "ssh.host-key";

    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, String> entries = new TreeMap<>();

    private RunJournal(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Starts the journal of a new run in {@code runDir} (an existing private directory) and takes the owner lock.
     *
     * @param runDir the run's private directory
     * @return the journal, which holds the owner lock until closed
     * @throws IOException if the files cannot be written
     */
    public static RunJournal create(Path runDir) throws IOException {
        Path lockFile = runDir.resolve(LOCK);
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-------"));
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IOException("run directory " + runDir + " is locked by another process");
            }
            RunJournal journal = new RunJournal(runDir, ch, lock);
            OWNED.add(runDir.toAbsolutePath().normalize());
            journal.put(OWNER_PID, Long.toString(ProcessHandle.current().pid()));
            return journal;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The run's directory.
     *
     * @return the run directory the journal lives in
     */
    public Path directory() {
        return dir;
    }

    /**
     * Records {@code key=value} durably (atomic replace) before the caller acquires what it describes.
     *
     * @param key the entry's name
     * @param value the entry's value (one line)
     * @throws IOException if the journal cannot be written
     */
    public synchronized void put(String key, String value) throws IOException {
        entries.put(key, value);
        write();
    }

    /**
     * Records several entries durably in one write (one atomic replace, one sync), e.g. what the caller learns
     * together right after acquiring something; each sync costs milliseconds on a disk-backed runtime root.
     *
     * @param values the entries, in any order
     * @throws IOException if the journal cannot be written
     */
    public synchronized void putAll(Map<String, String> values) throws IOException {
        entries.putAll(values);
        write();
    }

    /**
     * The recorded value of {@code key}.
     *
     * @param key the entry's name
     * @return the value, or empty when none was recorded
     */
    public synchronized Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    private void write() throws IOException {
        Properties p = new Properties();
        p.putAll(entries);
        StringWriter text = new StringWriter();
        p.store(text, "virtualghost run journal: replayed by 'virtualghost clean' if the owner dies");
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.writeString(
                tmp,
                text.toString(),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Releases the owner lock (the run directory is removed by its own undo). */
    @Override
    public synchronized void close() {
        OWNED.remove(dir.toAbsolutePath().normalize());
        try {
            if (lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The run directories under {@code runtimeRoot}, in name order; empty when there are none.
     *
     * @param runtimeRoot the runtime root ({@link RuntimePaths#root()})
     * @return the run directories' paths
     */
    public static List<Path> runDirectories(Path runtimeRoot) {
        Path runs = runtimeRoot.resolve(RUNS);
        if (!Files.isDirectory(runs, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new VirtualGhostException("cannot list runs in " + runs + ": " + e.getMessage(), e);
        }
    }

    /**
     * True when the run in {@code runDir} has a live owner: its owner lock is held by another process.
     * A directory without a lock file counts as dead (a run that failed before locking).
     *
     * @param runDir a run directory
     * @return whether another process holds the run's owner lock
     */
    public static boolean ownerAlive(Path runDir) {
        if (OWNED.contains(runDir.toAbsolutePath().normalize())) {
            return true;
        }
        Path lockFile = runDir.resolve(LOCK);
        if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException sameJvm) {
            return true;
        } catch (IOException e) {
            // Unreadable: be safe, treat it as someone else's live run.
            return true;
        }
    }

    /**
     * Reads the entries of the journal in {@code runDir}; empty when it has none.
     *
     * @param runDir a run directory
     * @return the journal's entries, key to value
     * @throws IOException if the journal exists but cannot be read
     */
    public static Map<String, String> read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Map.of();
        }
        if (Files.size(file) > 64 * 1024) {
            throw new IOException("run journal " + file + " is larger than 64 KiB; not a journal we wrote");
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        Map<String, String> out = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            out.put(k, p.getProperty(k));
        }
        return out;
    }

    /**
     * Lists the run directories whose owner is dead, i.e. what {@code clean} replays.
     *
     * @param runtimeRoot the runtime root ({@link RuntimePaths#root()})
     * @return the orphaned run directories, in name order
     */
    public static List<Path> orphanedRuns(Path runtimeRoot) {
        List<Path> out = new ArrayList<>();
        for (Path d : runDirectories(runtimeRoot)) {
            if (!ownerAlive(d)) {
                out.add(d);
            }
        }
        return out;
    }
}
