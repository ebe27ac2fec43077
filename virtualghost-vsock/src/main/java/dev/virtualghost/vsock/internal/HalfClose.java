package dev.virtualghost.vsock.internal;

import java.io.IOException;
import java.net.Socket;
import org.newsclub.net.unix.AFSocket;

/**
 * Half-close that works for junixsocket sockets on every JDK. From JDK 25 {@link Socket#shutdownOutput()}
 * checks {@code Socket}'s private connected state, which junixsocket (2.11.1) never sets, so it throws
 * "Socket is not connected" on a connected AF_UNIX socket; the socket's channel shuts down the same fd.
 */
public final class HalfClose {
    private HalfClose() {}

    public static void shutdownOutput(Socket s) throws IOException {
        if (s instanceof AFSocket<?> af) {
            af.getChannel().shutdownOutput();
        } else {
            s.shutdownOutput();
        }
    }

    public static void shutdownInput(Socket s) throws IOException {
        if (s instanceof AFSocket<?> af) {
            af.getChannel().shutdownInput();
        } else {
            s.shutdownInput();
        }
    }
}
