package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.HalfClose;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A connected host-to-guest stream over CH's hybrid vsock, after the {@code OK} handshake.
 *
 * <p>The first byte of {@link #inputStream()} is the first byte the guest sent: the dialer reads the
 * {@code OK} line byte by byte so nothing is swallowed. Streams may be used by one reader and one writer
 * thread at a time. The caller owns the connection and must {@link #close()} it.
 */
public final class VsockConnection implements AutoCloseable {

    private final Socket socket;
    private final int guestPort;
    private final int hostPort;

    VsockConnection(Socket socket, int guestPort, int hostPort) {
        this.socket = socket;
        this.guestPort = guestPort;
        this.hostPort = hostPort;
    }

    /**
     * Returns the guest vsock port this connection was dialed to.
     *
     * @return the port given to {@code CONNECT}
     */
    public int guestPort() {
        return guestPort;
    }

    /**
     * Returns the host-side port number CH reported in its {@code OK <n>} acknowledgement.
     *
     * @return the port CH assigned to the host end of this stream
     */
    public int hostPort() {
        return hostPort;
    }

    /**
     * Returns the stream of bytes from the guest; closing it closes the connection.
     *
     * @return the socket's input stream, positioned at the guest's first byte
     * @throws IOException if the connection is closed
     */
    public InputStream inputStream() throws IOException {
        return socket.getInputStream();
    }

    /**
     * Returns the stream of bytes to the guest; closing it closes the connection.
     *
     * @return the socket's output stream
     * @throws IOException if the connection is closed
     */
    public OutputStream outputStream() throws IOException {
        return socket.getOutputStream();
    }

    /**
     * Half-closes: tells the guest we will send no more (it reads end of stream), keeps reading open.
     *
     * @throws IOException if the socket is closed or the shutdown fails
     */
    public void shutdownOutput() throws IOException {
        HalfClose.shutdownOutput(socket);
    }

    /**
     * Stops reading; the guest's further bytes are discarded.
     *
     * @throws IOException if the socket is closed or the shutdown fails
     */
    public void shutdownInput() throws IOException {
        HalfClose.shutdownInput(socket);
    }

    /**
     * Returns the underlying Unix socket (for timeouts or buffer sizes); closing it closes this connection.
     *
     * @return the connected junixsocket socket
     */
    public Socket socket() {
        return socket;
    }

    /**
     * Tells whether this connection was closed, through {@link #close()} or its socket.
     *
     * @return true once closed; a peer that hung up does not make it true
     */
    public boolean isClosed() {
        return socket.isClosed();
    }

    /**
     * Closes both directions; idempotent.
     *
     * @throws IOException if closing the socket fails
     */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "VsockConnection[guestPort=" + guestPort + ", hostPort=" + hostPort + "]";
    }
}
