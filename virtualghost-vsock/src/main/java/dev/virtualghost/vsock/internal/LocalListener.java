package dev.virtualghost.vsock.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local listening side of a tunnel: libc TCP (so accepted connections can be spliced), a Java server socket,
 * or an owner-only Unix socket file. Thread-safe for one accepting thread and any closing thread.
 */
public interface LocalListener {

    /** Blocks until a connection arrives. */
    LocalConnection accept() throws IOException;

    /** The address clients connect to. */
    SocketAddress address();

    /** Stops accepting and releases the address (removes a socket file). */
    void close();

    /** A listener over a libc TCP socket. */
    static LocalListener nativeTcp(NativeTcpListener l) {
        return new LocalListener() {
            @Override
            public LocalConnection accept() throws IOException {
                return new LocalConnection(l.accept(), null);
            }

            @Override
            public SocketAddress address() {
                return l.address();
            }

            @Override
            public void close() {
                l.close();
            }
        };
    }

    /** A listener over an owner-only Unix socket file, which it removes on close. */
    static LocalListener unixServer(OwnerOnlySocketFile file, boolean zeroCopy) {
        LocalListener accepting = javaServer(file.server(), zeroCopy);
        return new LocalListener() {
            @Override
            public LocalConnection accept() throws IOException {
                return accepting.accept();
            }

            @Override
            public SocketAddress address() {
                try {
                    return AFUNIXSocketAddress.of(file.path()); // the public name, not the private one it is bound to
                } catch (SocketException e) {
                    return accepting.address();
                }
            }

            @Override
            public void close() {
                try {
                    file.close();
                } catch (IOException e) {
                    Logger log = LoggerFactory.getLogger(LocalListener.class);
                    log.warn("vsock tunnel: could not remove {}: {}", file.path(), e.toString());
                }
            }
        };
    }

    /** A listener over a Java server socket; with {@code zeroCopy}, accepted sockets expose their descriptor. */
    static LocalListener javaServer(ServerSocket server, boolean zeroCopy) {
        return new LocalListener() {
            @Override
            public LocalConnection accept() throws IOException {
                Socket s = server.accept();
                return new LocalConnection(zeroCopy ? ZeroCopyRelay.fdOf(s) : -1, s);
            }

            @Override
            public SocketAddress address() {
                return server.getLocalSocketAddress();
            }

            @Override
            public void close() {
                Splice.closeQuietly(server);
            }
        };
    }
}
