package dev.virtualghost.vsock.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Joins two connected sockets in both directions with correct half-close: when one side reaches EOF the
 * other side's output is shut down; both sockets close once both directions are done, or at once if either
 * direction fails. Used by the tunnel and the test fakes.
 */
public final class Splice {

    /** 256 KiB: large copies through the tunnel are benchmarked and small buffers cost syscalls. */
    public static final int BUFFER = 256 * 1024;

    private Splice() {}

    /**
     * Copies a to b on a thread from {@code executor} and b to a on the calling thread; returns when both
     * directions are done and both sockets are closed. {@code onClose} runs exactly once at the end.
     */
    public static void run(Socket a, Socket b, Executor executor, Runnable onClose) {
        AtomicInteger done = new AtomicInteger();
        Runnable finish = () -> {
            if (done.incrementAndGet() == 2) {
                closeQuietly(a);
                closeQuietly(b);
                onClose.run();
            }
        };
        try {
            executor.execute(() -> pump(a, b, finish));
        } catch (RuntimeException rejected) {
            closeQuietly(a);
            closeQuietly(b);
            onClose.run();
            return;
        }
        pump(b, a, finish);
    }

    private static void pump(Socket from, Socket to, Runnable finish) {
        try {
            SocketChannel src = channel(from);
            SocketChannel dst = channel(to);
            if (src != null && dst != null) {
                pumpChannels(src, dst);
                HalfClose.shutdownOutput(to);
                return;
            }
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            out.flush();
            // EOF from one side: pass it on as a half-close so the other side can still answer.
            HalfClose.shutdownOutput(to);
        } catch (IOException | RuntimeException e) {
            // A dead side kills both directions; closing unblocks the other pump.
            closeQuietly(from);
            closeQuietly(to);
        } finally {
            finish.run();
        }
    }

    /**
     * Copies with one direct buffer: reading a heap array from a socket makes the JDK bounce every chunk
     * through a temporary direct buffer (two extra memcpys per hop), which the tunnel benchmark showed.
     */
    private static void pumpChannels(SocketChannel src, SocketChannel dst) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        while (src.read(buf) >= 0) {
            buf.flip();
            while (buf.hasRemaining()) {
                dst.write(buf);
            }
            buf.clear();
        }
    }

    /** The socket's channel if it has a blocking one (ServerSocketChannel-accepted TCP, junixsocket). */
    private static SocketChannel channel(Socket s) {
        SocketChannel c = s.getChannel();
        return c != null && c.isBlocking() ? c : null;
    }

    public static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // Already closed or peer gone; nothing useful to report.
        }
    }
}
