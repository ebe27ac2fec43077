package dev.virtualghost.ch.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Sends hand-made HTTP/1.1 requests on a Unix socket, so tests can send what a well-behaved client never
 * would (wrong Content-Type, oversized bodies, broken JSON).
 */
final class RawHttp {
    record Response(int status, String body) {}

    private RawHttp() {}

    static Response send(Path socket, String method, String command, String contentType, byte[] body)
            throws IOException {
        return send(socket, method, command, contentType, body, body == null ? 0 : body.length);
    }

    static Response send(
            Path socket, String method, String command, String contentType, byte[] body, long contentLength)
            throws IOException {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()))) {
            s.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(method)
                    .append(" /api/v1/")
                    .append(command)
                    .append(" HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (contentLength > 0) {
                head.append("Content-Length: ").append(contentLength).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null && contentLength == body.length) {
                out.write(body);
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    static Response put(Path socket, String command, String json) throws IOException {
        return send(
                socket,
                "PUT",
                command,
                json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    static Response get(Path socket, String command) throws IOException {
        return send(socket, "GET", command, null, null);
    }

    private static Response read(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(h.indexOf(':') + 1).trim());
            }
        }
        return new Response(code, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                buf.write(c);
            }
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}
