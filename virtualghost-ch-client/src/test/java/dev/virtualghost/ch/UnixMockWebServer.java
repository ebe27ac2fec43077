package dev.virtualghost.ch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockWebServer;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A real HTTP/1.1 server (OkHttp's MockWebServer) on a Unix socket, standing in for CH's API socket: CH serves
 * plain HTTP/1.1 on {@code --api-socket path=...} and reads requests by Content-Length (see the spec README).
 * MockWebServer binds an inet address; junixsocket's {@code forceBindAddress} redirects that bind to the Unix
 * path. Closing stops the server and removes the socket file.
 */
final class UnixMockWebServer implements AutoCloseable {

    final MockWebServer server = new MockWebServer();
    final Path socket;

    UnixMockWebServer(Path dir) throws IOException {
        this.socket = dir.resolve("api.sock");
        AFUNIXSocketAddress address = AFUNIXSocketAddress.of(socket);
        server.setServerSocketFactory(new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                AFUNIXServerSocket s = AFUNIXServerSocket.newInstance();
                s.forceBindAddress(address);
                return s;
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                ServerSocket s = createServerSocket();
                s.bind(new InetSocketAddress(port));
                return s;
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                return createServerSocket(port);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
                return createServerSocket(port);
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    ChClient client() {
        return ChClient.builder().socket(socket).build();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
