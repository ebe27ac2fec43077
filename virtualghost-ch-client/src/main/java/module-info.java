/**
 * A Java client for Cloud Hypervisor's REST API over its Unix socket, the typed model of that API, and
 * {@link dev.virtualghost.ch.ChProcess} to run the VMM as a child process.
 *
 * <p>Only {@code dev.virtualghost.ch} and {@code dev.virtualghost.ch.model} are API; the
 * {@code internal} packages are sealed.
 */
module dev.virtualghost.ch {
    requires transitive dev.virtualghost.api;
    requires okhttp3;
    requires okio;
    requires com.squareup.moshi;
    requires org.newsclub.net.unix;
    requires org.slf4j;
    requires java.logging;

    exports dev.virtualghost.ch;
    exports dev.virtualghost.ch.model;

    // Moshi binds the API's JSON to these records by reflection.
    opens dev.virtualghost.ch to
            com.squareup.moshi;
    opens dev.virtualghost.ch.model to
            com.squareup.moshi;
    opens dev.virtualghost.ch.internal to
            com.squareup.moshi;

    provides dev.virtualghost.api.HostCheckProvider with
            dev.virtualghost.ch.ChHostCheckProvider;
}
