package dev.virtualghost.ch.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ProtocolException;
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
     * Sends the request with the descriptors and reads the answer by its {@code Content-Length}, or to the end of
     * the connection when it has none; a chunked answer is refused.
     *
     * @throws IOException on connection failures; {@link InterruptedIOException} when the deadline passes;
     *     {@link SocketTimeoutException} "connect timed out" when the socket did not accept in time;
     *     {@link ProtocolException} when the answer is not well-formed HTTP/1.x or its body is too large
     */
    public RawResponse exchange(String method, String endpoint, byte[] body, FileDescriptor[] fds, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (AFUNIXSocket s = AFUNIXSocket.newInstance()) {
            int connectMillis = (int)
                    Math.max(1, Math.min(Integer.MAX_VALUE, Math.min(connectTimeout.toMillis(), timeout.toMillis())));
            try {
                s.connect(AFUNIXSocketAddress.of(socket), connectMillis);
            } catch (SocketTimeoutException e) {
                // Said in the JDK's words so Responses reports it as a connect timeout: nothing was sent yet.
                SocketTimeoutException t = new SocketTimeoutException("connect timed out");
                t.initCause(e);
                throw t;
            }
            byte[] payload = body == null ? new byte[0] : body;
            String head = method + " /api/v1/" + endpoint + " HTTP/1.1\r\n"
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
                throw new ProtocolException("response header larger than " + MAX_HEADER_BYTES + " bytes");
            }
        }
        String[] lines = header.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = statusCode(statusLine, lines[0]);
        if (chunked(lines)) {
            // CH answers with Content-Length; a chunked answer is not CH's, and success without its body is wrong.
            throw new ProtocolException(
                    "chunked transfer encoding in an answer " + status + "; CH answers with Content-Length");
        }
        long length = contentLength(lines, status);
        byte[] body = length >= 0 ? readFixed(s, in, (int) length, deadline) : readToEnd(s, in, status, deadline);
        return new RawResponse(status, statusLine.length > 2 ? statusLine[2] : "", body);
    }

    /** The status of an {@code HTTP/1.x NNN reason} line; ProtocolException for anything else. */
    private static int statusCode(String[] statusLine, String line) throws ProtocolException {
        if (statusLine.length < 2
                || !statusLine[0].startsWith("HTTP/1.")
                || !statusLine[1].matches("[1-5][0-9][0-9]")) {
            throw new ProtocolException("malformed status line: " + excerpt(line));
        }
        return Integer.parseInt(statusLine[1]);
    }

    /**
     * The body length from the header lines: -1 when absent (and the status allows a body), 0 for a status that
     * has none (1xx, 204, 304); ProtocolException when it is not a decimal number, when two headers disagree, or
     * when it exceeds {@link BodyLimits#maxBody}.
     */
    private static long contentLength(String[] lines, int status) throws ProtocolException {
        long length = -1;
        for (String value : headerValues(lines, "content-length")) {
            // Digits only: Long.parseLong would accept a sign, and an overlong number is as bad as a huge one.
            if (!value.matches("[0-9]{1,10}")) {
                throw new ProtocolException("malformed Content-Length: " + excerpt(value));
            }
            long parsed = Long.parseLong(value);
            if (length >= 0 && parsed != length) {
                throw new ProtocolException("conflicting Content-Length headers: " + length + " and " + parsed);
            }
            length = parsed;
        }
        if (length > BodyLimits.maxBody(status)) {
            throw new ProtocolException("Content-Length " + length + " exceeds the " + BodyLimits.maxBody(status)
                    + "-byte limit for CH answers");
        }
        boolean noBody = status < 200 || status == 204 || status == 304;
        return noBody ? 0 : length;
    }

    private static boolean chunked(String[] lines) {
        for (String value : headerValues(lines, "transfer-encoding")) {
            if (!value.equalsIgnoreCase("identity")) {
                return true;
            }
        }
        return false;
    }

    private static java.util.List<String> headerValues(String[] lines, String name) {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0
                    && lines[i].substring(0, colon)
                            .trim()
                            .toLowerCase(Locale.ROOT)
                            .equals(name)) {
                values.add(lines[i].substring(colon + 1).trim());
            }
        }
        return values;
    }

    /** Exactly {@code length} body bytes; a body cut short is an EOFException, as on the OkHttp transport. */
    private static byte[] readFixed(AFUNIXSocket s, InputStream in, int length, long deadline) throws IOException {
        byte[] body = new byte[length];
        int off = 0;
        while (off < length) {
            int n = read(s, in, body, off, length - off, deadline);
            if (n < 0) {
                throw new EOFException("connection closed after " + off + " of " + length + " body bytes");
            }
            off += n;
        }
        return body;
    }

    /**
     * An EOF-delimited body (no Content-Length; the request said {@code Connection: close}), read up to the cap:
     * HTTP/1.1 allows it, so it is parsed rather than taken for an empty answer.
     */
    private static byte[] readToEnd(AFUNIXSocket s, InputStream in, int status, long deadline) throws IOException {
        int max = BodyLimits.maxBody(status);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            int n = read(s, in, buf, 0, buf.length, deadline);
            if (n < 0) {
                return body.toByteArray();
            }
            if (body.size() + n > max) {
                throw BodyLimits.tooLarge(status, -1);
            }
            body.write(buf, 0, n);
        }
    }

    private static int read(AFUNIXSocket s, InputStream in, byte[] b, int off, int len, long deadline)
            throws IOException {
        setTimeout(s, deadline);
        try {
            return in.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw timeout(e);
        }
    }

    private static String excerpt(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
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
