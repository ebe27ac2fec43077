package dev.virtualghost.ch.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.newsclub.net.unix.AFSocketFactory;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * OkHttp over CH's Unix API socket: HTTP/1.1 only, one kept-alive connection pool, no retries (CH PUTs are not
 * idempotent), calls executed on the caller's thread ({@link Call#execute()}, no dispatcher hop). A warm call
 * wakes no other thread: deadlines come from {@link CallWatchdog}, pool housekeeping from
 * {@link PollingTaskRunnerBackend} (on the pinned OkHttp, see {@link ConnectionPools}).
 */
public final class OkHttpTransport implements Transport {

    /** CH accepts exactly {@code application/json}; a charset parameter makes it answer 400. */
    static final MediaType JSON = MediaType.get("application/json");

    private static final String HOST = "localhost";
    private static final InetAddress DUMMY;

    static {
        try {
            DUMMY = InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final OkHttpClient client;
    private final HttpUrl base;
    /** One parsed URL per endpoint (CH has 31), built on first use. */
    private final Map<String, HttpUrl> urls = new ConcurrentHashMap<>();
    /** Requests without a body (every GET, and PUTs such as vm.boot) are immutable: built once, reused. */
    private final Map<String, Request> bodiless = new ConcurrentHashMap<>();

    /**
     * Creates a transport for the socket.
     *
     * @throws IOException if junixsocket cannot build an address for the path
     */
    public OkHttpTransport(Path socket, Duration connectTimeout) throws IOException {
        AFUNIXSocketAddress address = AFUNIXSocketAddress.of(socket);
        // The socket factory ignores the resolved address and always dials the Unix socket, so the Dns only has
        // to satisfy OkHttp's resolution step without touching the system resolver.
        Dns dns = hostname -> List.of(DUMMY);
        this.client = new OkHttpClient.Builder()
                .socketFactory(new AFSocketFactory.FixedAddressSocketFactory(address))
                .dns(dns)
                .protocols(List.of(Protocol.HTTP_1_1))
                // Cleartext only: CH's API is plain HTTP on a Unix socket. With a TLS spec in the list (OkHttp's
                // default) the client builds the platform trust manager and SSL socket factory at construction,
                // which loads the JDK's CA keystore and the TLS stack: hundreds of ms in a cold JVM (`run`).
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                .connectionPool(ConnectionPools.create())
                .retryOnConnectionFailure(false)
                .connectTimeout(connectTimeout)
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .callTimeout(Duration.ZERO)
                .followRedirects(false)
                .build();
        this.base = new HttpUrl.Builder()
                .scheme("http")
                .host(HOST)
                .addPathSegments("api/v1")
                .build();
    }

    @Override
    public RawResponse exchange(String method, String endpoint, byte[] body, Duration timeout) throws IOException {
        Request request = body == null
                ? bodiless.computeIfAbsent(method + " " + endpoint, k -> request(method, endpoint, null))
                : request(method, endpoint, RequestBody.create(body, JSON));
        Call call = client.newCall(request);
        // Per-call deadline: covers connect, write and the whole (possibly long) CH operation. Enforced by
        // cancelling the call (which closes its socket) rather than by call.timeout(): see CallWatchdog.
        try (CallWatchdog.Watch watch = CallWatchdog.INSTANCE.watch(timeout.toNanos(), call::cancel)) {
            try (Response response = call.execute()) {
                return new RawResponse(response.code(), response.message(), body(response));
            } catch (IOException e) {
                if (watch.expired()) {
                    InterruptedIOException timedOut = new InterruptedIOException("timeout after " + timeout);
                    timedOut.initCause(e);
                    throw timedOut;
                }
                throw e;
            }
        }
    }

    private Request request(String method, String endpoint, RequestBody body) {
        return new Request.Builder()
                .url(urls.computeIfAbsent(
                        endpoint, e -> base.newBuilder().addPathSegment(e).build()))
                .method(method, "GET".equals(method) ? null : body == null ? RequestBody.EMPTY : body)
                .build();
    }

    /**
     * Reads the body up to {@link BodyLimits#maxBody}: a larger announced length is refused before reading, a
     * larger or endless body (chunked or EOF-delimited) after reading one byte past the cap. A body cut short is an
     * {@link EOFException}, as on {@link FdTransport}: the VMM went away mid-answer.
     */
    private static byte[] body(Response response) throws IOException {
        int max = BodyLimits.maxBody(response.code());
        ResponseBody rb = response.body();
        long announced = rb.contentLength();
        if (announced > max) {
            throw BodyLimits.tooLarge(response.code(), announced);
        }
        BufferedSource source = rb.source();
        try {
            if (source.request(max + 1L)) {
                throw BodyLimits.tooLarge(response.code(), announced);
            }
            return source.readByteArray();
        } catch (java.net.ProtocolException e) {
            if (String.valueOf(e.getMessage()).startsWith("unexpected end of stream")) {
                EOFException cut = new EOFException(
                        "connection closed after " + source.getBuffer().size() + " of " + announced + " body bytes");
                cut.initCause(e);
                throw cut;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        client.dispatcher().cancelAll();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
