package dev.virtualghost.vsock.ssh.internal;

import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.SocketFactory;
import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.VsockConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;

/**
 * A JSch Proxy whose "connection" is a hybrid vsock stream, so SSH runs with no TCP at all. JSch's host and
 * port arguments are ignored: the dialer and guest port decide where the bytes go. One proxy per session;
 * not thread-safe.
 */
public final class VsockProxy implements Proxy {

    private final HybridVsockDialer dialer;
    private final int guestPort;
    private VsockConnection connection;

    /** A proxy that will dial {@code guestPort} through {@code dialer}. */
    public VsockProxy(HybridVsockDialer dialer, int guestPort) {
        this.dialer = dialer;
        this.guestPort = guestPort;
    }

    /**
     * Dials the guest port. {@code timeout} is JSch's connect timeout in ms (0 = none): the dial ends by then
     * even if the dialer's own deadline is longer.
     */
    @Override
    public void connect(SocketFactory socketFactory, String host, int port, int timeout) throws Exception {
        HybridVsockDialer d = dialer;
        if (timeout > 0 && Duration.ofMillis(timeout).compareTo(dialer.deadline()) < 0) {
            d = dialer.newBuilder().deadline(Duration.ofMillis(timeout)).build();
        }
        connection = d.dial(guestPort);
    }

    @Override
    public InputStream getInputStream() {
        try {
            return connection.inputStream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public OutputStream getOutputStream() {
        try {
            return connection.outputStream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Socket getSocket() {
        return connection == null ? null : connection.socket();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // Session teardown; the peer may already be gone.
            }
        }
    }
}
