package dev.virtualghost.ch.testkit.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code <socket>.lock} file a VMM holds while it serves an API socket, as CH does: a second VMM cannot take
 * it while a live holder has it, so a socket file found beside a lock just taken is stale.
 *
 * <p>Not thread-safe: its owner releases it, once.
 */
public final class SocketLock {
    private static final Logger LOG = LoggerFactory.getLogger(SocketLock.class);
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private SocketLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates and locks {@code file}.
     *
     * @throws IllegalStateException if another live holder (in this JVM or another process) has the lock
     * @throws IOException if the file cannot be opened
     */
    public static SocketLock acquire(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        }
        if (acquired == null) {
            channel.close();
            throw new IllegalStateException("cloud-hypervisor: cannot lock " + file
                    + ": another VMM is serving this API socket (stop it or choose another socket path)");
        }
        return new SocketLock(file, channel, acquired);
    }

    /**
     * Releases the lock but leaves the file, as CH does (measured: {@code api.sock.lock} stays after
     * {@code vmm.shutdown} and after SIGTERM; the next VMM takes the unlocked file over). Failures are logged, as
     * there is nothing left to undo.
     */
    public void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.debug("releasing {}", file, e);
        }
    }
}
