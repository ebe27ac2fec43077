package dev.virtualghost.ch.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal HTTP/1.1 request reader and response writer, shaped after CH's micro_http: requests are framed by
 * Content-Length only, bodies above 4 MiB are refused, and connections are kept alive.
 *
 * <p>Not thread-safe; one instance per connection.
 */
public final class HttpExchange {
    /** micro_http's maximum payload size (MAX_PAYLOAD_SIZE, 4 MiB, in CH's http server). */
    public static final int MAX_BODY = 4 * 1024 * 1024;

    private static final int MAX_LINE = 8192;

    /** A parsed request; header names are lower-case. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body) {}

    /** A request that cannot be served (bad framing or too big); answered 400 then the connection closes. */
    public static final class BadRequest extends IOException {
        private static final long serialVersionUID = 1L;

        public BadRequest(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final OutputStream out;

    public HttpExchange(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** Reads the next request, or null at a clean end of stream. */
    public Request read() throws IOException {
        String requestLine = line();
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest("Invalid request line: " + requestLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest("Invalid header: " + h);
            }
            headers.put(
                    h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    h.substring(colon + 1).trim());
        }
        int length = 0;
        String cl = headers.get("content-length");
        if (cl != null) {
            try {
                length = Integer.parseInt(cl);
            } catch (NumberFormatException e) {
                throw new BadRequest("Invalid Content-Length: " + cl);
            }
            if (length < 0) {
                throw new BadRequest("Invalid Content-Length: " + cl);
            }
            if (length > MAX_BODY) {
                throw new BadRequest("Request payload with size " + length + " is larger than the limit of " + MAX_BODY
                        + " allowed by server");
            }
        }
        if (length > 0 && "100-continue".equalsIgnoreCase(headers.get("expect"))) {
            // curl sends Expect for bodies over 1 KiB and waits a second for this interim answer.
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("connection closed inside a request body");
        }
        return new Request(parts[0], parts[1], headers, body);
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (buf.size() > MAX_LINE) {
                throw new BadRequest("header line too long");
            }
            buf.write(c);
        }
        if (c == -1 && buf.size() == 0) {
            return null;
        }
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Writes a response byte for byte as CH's micro_http does: the status line has an empty reason phrase
     * ({@code HTTP/1.1 200 }), then {@code Server} and {@code Connection}; a response with a body (even an empty
     * one, {@code json} = "") adds {@code Content-Type} and {@code Content-Length}; {@code json} null (204) adds
     * nothing more.
     */
    public void write(int status, String json) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ")
                .append(status)
                .append(" \r\nServer: Cloud Hypervisor API\r\nConnection: keep-alive\r\n");
        byte[] body = new byte[0];
        if (json != null) {
            body = json.getBytes(StandardCharsets.UTF_8);
            head.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }
}
