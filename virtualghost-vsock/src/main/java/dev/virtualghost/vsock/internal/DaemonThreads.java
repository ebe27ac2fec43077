package dev.virtualghost.vsock.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names daemon threads after the resource they serve, so leaks are easy to attribute in a thread dump. */
public final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger n = new AtomicInteger();

    public DaemonThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(null, r, prefix + "-" + n.incrementAndGet(), 256 * 1024);
        t.setDaemon(true);
        return t;
    }
}
