package dev.virtualghost.ch.internal;

import com.squareup.moshi.JsonDataException;
import dev.virtualghost.ch.ChApiException;
import dev.virtualghost.ch.ChConnectionException;
import dev.virtualghost.ch.ChException;
import dev.virtualghost.ch.ChProtocolException;
import dev.virtualghost.ch.ChTimeoutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Type;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The ONE place where CH's answers and I/O failures become values or {@link ChException}s. A body cut mid-way
 * (the connection closed before Content-Length bytes came) means the VMM went away mid-answer: both transports
 * report it as an {@link java.io.EOFException}, which becomes a {@link ChConnectionException} here, never a
 * {@link ChProtocolException} (that is for answers that arrived whole but are not what CH sends). Stateless.
 */
public final class Responses {

    /** Standard reason phrases, used in messages whatever phrase the server sent, so messages stay stable. */
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(408, "Request Timeout"),
            Map.entry(409, "Conflict"),
            Map.entry(413, "Payload Too Large"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private Responses() {}

    /**
     * Returns the body of a successful answer, or null for 204.
     *
     * @throws ChApiException for any status outside 2xx
     */
    public static byte[] check(String method, String endpoint, RawResponse r) {
        if (r.status() >= 200 && r.status() < 300) {
            return r.status() == 204 || r.body().length == 0 ? null : r.body();
        }
        String reason = REASONS.getOrDefault(r.status(), r.reason() == null ? "" : r.reason());
        throw new ChApiException(method, endpoint, r.status(), reason, errorChain(r.body()));
    }

    /** Parses CH's error body, a JSON array of strings; falls back to the raw text as one entry. */
    static List<String> errorChain(byte[] body) {
        if (body.length == 0) {
            return List.of();
        }
        try {
            List<String> chain = JsonCodec.INSTANCE.read(body, JsonCodec.STRING_LIST);
            if (!chain.contains(null)) {
                return chain;
            }
        } catch (IOException | RuntimeException e) {
            // Not CH's usual shape (e.g. a proxy or an older CH): show the raw text below.
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? List.of() : List.of(text);
    }

    /**
     * Parses the body of a 200 answer that must carry one.
     *
     * @throws ChProtocolException when the body is missing or is not the expected JSON
     */
    public static <T> T parse(String method, String endpoint, byte[] body, Type type) {
        if (body == null) {
            throw new ChProtocolException(method + " /api/v1/" + endpoint + ": expected a JSON body, got none"
                    + " (is this a cloud-hypervisor API socket?)");
        }
        try {
            return JsonCodec.INSTANCE.read(body, type);
        } catch (IOException | JsonDataException e) {
            throw new ChProtocolException(
                    method + " /api/v1/" + endpoint + ": unreadable JSON body (" + e.getMessage() + "): "
                            + excerpt(body),
                    e);
        } catch (NullPointerException | AssertionError e) {
            // The records copy their lists with List.copyOf, which refuses the null elements CH never sends;
            // Moshi's record adapter reports an exception of a record constructor as an AssertionError.
            Throwable cause = e instanceof AssertionError ? e.getCause() : e;
            if (!(cause instanceof NullPointerException)) {
                throw e;
            }
            throw new ChProtocolException(
                    method + " /api/v1/" + endpoint + ": JSON array with a null element: " + excerpt(body), cause);
        }
    }

    /** Maps an I/O failure of a call to the exception a caller can act on. */
    public static ChException ioFailure(String method, String endpoint, Path socket, Duration timeout, IOException e) {
        String call = method + " /api/v1/" + endpoint + " on " + socket;
        if (e instanceof java.net.ProtocolException) {
            return new ChProtocolException(
                    call + ": malformed HTTP answer (" + e.getMessage() + "; is this a cloud-hypervisor API socket?)",
                    e);
        }
        if (isConnectTimeout(e)) {
            // Nothing was sent, so unlike a read timeout the call certainly did not happen.
            return new ChConnectionException(
                    call + ": the socket did not accept a connection within the connect"
                            + " timeout (is cloud-hypervisor hung or overloaded? its API thread serves one request at a time)",
                    e);
        }
        if (e instanceof InterruptedIOException) {
            return new ChTimeoutException(
                    call + ": no answer within " + timeout
                            + " (CH may still complete the call; check info() before retrying)",
                    e);
        }
        if (!Files.exists(socket)) {
            return new ChConnectionException(
                    call + ": API socket does not exist" + " (is cloud-hypervisor running with --api-socket " + socket
                            + "?)",
                    e);
        }
        if (e instanceof ConnectException || String.valueOf(e.getMessage()).contains("refused")) {
            return new ChConnectionException(
                    call + ": connection refused, nothing listens on the socket"
                            + " (did cloud-hypervisor exit? a stale socket file stays behind)",
                    e);
        }
        if (e instanceof java.net.SocketException
                && String.valueOf(e.getMessage()).contains("ermission")) {
            return new ChConnectionException(
                    call + ": permission denied (run as the user that owns " + socket + ")", e);
        }
        if (e instanceof java.io.EOFException
                || e.getMessage() != null && e.getMessage().contains("unexpected end")) {
            return new ChConnectionException(
                    call + ": connection closed before a complete answer (" + e.getMessage()
                            + "; did cloud-hypervisor exit?)",
                    e);
        }
        return new ChConnectionException(
                call + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + " (is cloud-hypervisor still running?)",
                e);
    }

    /**
     * True for a timeout while connecting: the JDK and junixsocket say {@code "connect timed out"} in a
     * {@link SocketTimeoutException} (OkHttp passes it on as it is, FdTransport says it in those words too).
     */
    static boolean isConnectTimeout(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException
                    && t.getMessage() != null
                    && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect")) {
                return true;
            }
        }
        return false;
    }

    private static String excerpt(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
