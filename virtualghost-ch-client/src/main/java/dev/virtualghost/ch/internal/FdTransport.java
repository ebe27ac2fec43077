package dev.virtualghost.ch.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * One HTTP/1.1 exchange on a fresh junixsocket connection that carries file descriptors as SCM_RIGHTS
 * ancillary data, for the calls CH accepts with descriptors ({@code vm.add-net}, {@code vm.add-device},
 * {@code vm.restore}, {@code vm.receive-migration}). OkHttp cannot attach ancillary data, hence this path.
 *
 * <p>The whole request goes out in one write so the descriptors travel with its first bytes, which is where
 * CH's HTTP server collects them. Stateless and thread-safe.
 */
public final class FdTransport {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Path socket;
    private final Duration connectTimeout;

    /** Creates a transport for the socket. */
    public FdTransport(Path socket, Duration connectTimeout) {
        this.socket = socket;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Sends the request with the descriptors and reads the answer by its {@code Content-Length}.
     *
     * @throws IOException on connection failures; {@link InterruptedIOException} when the deadline passes
     */
    public RawResponse exchange(String method, String endpoint, byte[] body, FileDescriptor[] fds, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (AFUNIXSocket s = AFUNIXSocket.newInstance()) {
            s.connect(AFUNIXSocketAddress.of(socket), (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                    Math.min(connectTimeout.toMillis(), timeout.toMillis()))));
            byte[] payload = body == null ? new byte[0] : body;
            String head = method + " /api/v1" + endpoint + " HTTP/1.1\r\n"
                    + "Host: localhost\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + payload.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[headBytes.length + payload.length];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            System.arraycopy(payload, 0, request, headBytes.length, payload.length);
            s.setOutboundFileDescriptors(fds);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return read(s, deadline);
        }
    }

    private static RawResponse read(AFUNIXSocket s, long deadline) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = readByte(s, in, deadline);
            header.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (header.size() > MAX_HEADER_BYTES) {
                throw new IOException("response header larger than " + MAX_HEADER_BYTES + " bytes");
            }
        }
        String[] lines = header.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("malformed status line: " + lines[0]);
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line: " + lines[0], e);
        }
        int length = 0;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = new byte[length];
        int off = 0;
        while (off < length) {
            setTimeout(s, deadline);
            int n;
            try {
                n = in.read(body, off, length - off);
            } catch (SocketTimeoutException e) {
                throw timeout(e);
            }
            if (n < 0) {
                throw new EOFException("connection closed after " + off + " of " + length + " body bytes");
            }
            off += n;
        }
        return new RawResponse(status, statusLine.length > 2 ? statusLine[2] : "", body);
    }

    private static int readByte(AFUNIXSocket s, InputStream in, long deadline) throws IOException {
        setTimeout(s, deadline);
        int b;
        try {
            b = in.read();
        } catch (SocketTimeoutException e) {
            throw timeout(e);
        }
        if (b < 0) {
            throw new EOFException("connection closed before the response header was complete");
        }
        return b;
    }

    private static void setTimeout(AFUNIXSocket s, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new InterruptedIOException("timeout");
        }
        s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
    }

    private static InterruptedIOException timeout(SocketTimeoutException e) {
        InterruptedIOException t = new InterruptedIOException("timeout");
        t.initCause(e);
        return t;
    }
}
