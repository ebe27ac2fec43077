package dev.virtualghost.vsock.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/** Counts this JVM's open file descriptors and live threads, and waits (bounded) for them to settle. */
public final class Leaks {
    private Leaks() {}

    public static int openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
    }

    /** Open descriptors that are sockets ({@code socket:[inode]} in /proc/self/fd). */
    public static int openSockets() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.filter(f -> {
                        try {
                            return Files.readSymbolicLink(f).toString().startsWith("socket:");
                        } catch (IOException gone) {
                            return false; // closed while listing (e.g. the directory stream's own descriptor)
                        }
                    })
                    .count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
    }

    public static int liveThreads() {
        return Thread.activeCount();
    }

    /** Polls until {@code value <= limit} or {@code millis} pass; returns the last value seen. */
    public static int settle(IntSupplier value, int limit, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        int v = value.getAsInt();
        while (v > limit && System.nanoTime() < end) {
            Thread.sleep(20);
            v = value.getAsInt();
        }
        return v;
    }
}
