package dev.virtualghost.launcher.assets.internal;

import dev.virtualghost.launcher.assets.AssetSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Files under an http(s) base URL, fetched with the JDK's HttpClient (redirects followed, except https to http).
 * A body shorter than its Content-Length ends in an IOException from the stream, so a cut download is noticed
 * even before its SHA-256 is checked.
 */
public final class HttpSource implements AssetSource {
    private final URI base;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * Files under {@code base}.
     *
     * @param base the base URL
     * @param timeout the connect and response-header timeout
     */
    public HttpSource(URI base, Duration timeout) {
        Objects.requireNonNull(base, "base");
        String scheme = String.valueOf(base.getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("asset URL must be http or https: " + base);
        }
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public InputStream open(String name) throws IOException {
        URI uri = base.resolve(name);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return response.body();
        }
        response.body().close();
        if (status == 404 || status == 410) {
            throw new FileNotFoundException(uri + " (HTTP " + status + ")");
        }
        throw new IOException(uri + " answered HTTP " + status);
    }

    @Override
    public String describe() {
        return base.toString();
    }
}
