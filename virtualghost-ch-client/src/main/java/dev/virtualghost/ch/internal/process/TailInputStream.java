package dev.virtualghost.ch.internal.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads a regular file that another process is still appending to, like {@code tail -f}: at the current end
 * it waits for more bytes, until {@link #finish()} is called, after which it returns what is left and then
 * end-of-stream. A regular file (not a FIFO) keeps a slow reader from ever blocking CH's writes.
 *
 * <p>Thread-safe for one reader thread plus one thread calling {@link #finish()}.
 */
public final class TailInputStream extends InputStream {
    private final Path file;
    private final long pollMillis;
    private RandomAccessFile raf;
    private volatile boolean finishing;

    public TailInputStream(Path file, Duration poll) {
        this.file = file;
        this.pollMillis = Math.max(1, poll.toMillis());
    }

    /** Lets the reader drain the remaining bytes and then see end-of-stream. */
    public void finish() {
        finishing = true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            boolean last = finishing;
            if (raf == null && file.toFile().exists()) {
                raf = new RandomAccessFile(file.toFile(), "r");
            }
            if (raf != null) {
                int n = raf.read(b, off, len);
                if (n > 0) {
                    return n;
                }
            }
            if (last) {
                return -1;
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("tail of " + file + " interrupted");
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (raf != null) {
            raf.close();
        }
    }
}
