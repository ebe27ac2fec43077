/**
 * A faithful in-process or stand-alone fake of Cloud Hypervisor's API socket for tests.
 *
 * <p>Only {@code dev.virtualghost.ch.testkit} is API; {@code dev.virtualghost.ch.testkit.internal} is
 * sealed.
 */
module dev.virtualghost.ch.testkit {
    requires com.squareup.moshi;
    requires okio;
    requires org.newsclub.net.unix;
    requires org.slf4j;
    // Request validation against the CH OpenAPI spec (an automatic module named after its jar).
    requires swagger.request.validator.core;

    exports dev.virtualghost.ch.testkit;
}
