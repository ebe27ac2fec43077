package dev.virtualghost.launcher.assets.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive ownership of a cache directory: a JVM-wide lock per directory (file locks are per process, and a
 * second lock from the same JVM would throw OverlappingFileLockException) plus an fcntl lock on {@code .lock}
 * inside it for other processes. The lock file itself is never deleted: a process waiting on it must keep
 * locking the same inode.
 */
public final class CacheLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
    private final ReentrantLock jvmLock;
    private final FileChannel channel;
    private final FileLock fileLock;
    private final Path file;

    private CacheLock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock, Path file) {
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.fileLock = fileLock;
        this.file = file;
    }

    /**
     * Creates the directory (0700) if needed and blocks until this thread owns it.
     *
     * @param dir the cache directory
     * @return the held lock; closing it releases the lock
     * @throws IOException if the directory or the lock file cannot be created
     */
    public static CacheLock acquire(Path dir) throws IOException {
        Path d = dir.toAbsolutePath().normalize();
        FileTrees.createPrivateDirectories(d);
        ReentrantLock jvm = IN_JVM.computeIfAbsent(d, k -> new ReentrantLock());
        jvm.lock();
        FileChannel ch = null;
        try {
            Path f = d.resolve(".lock");
            ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new CacheLock(jvm, ch, ch.lock(), f);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            jvm.unlock();
            throw e;
        }
    }

    /**
     * The lock file.
     *
     * @return the lock file's path
     */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            jvmLock.unlock();
        }
    }
}
