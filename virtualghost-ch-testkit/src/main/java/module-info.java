/**
 * A faithful in-process or stand-alone fake of Cloud Hypervisor's API socket for tests, a pure-Java PVH test guest,
 * and a JUnit 5 condition for tests that need a real {@code cloud-hypervisor}.
 *
 * <p>{@code dev.virtualghost.ch.testkit} and {@code dev.virtualghost.ch.testkit.junit} are API;
 * {@code dev.virtualghost.ch.testkit.internal} is sealed. JUnit and the OpenAPI request validator are optional:
 * only {@code @RequiresCloudHypervisor} needs the first, only spec validation the second.
 */
module dev.virtualghost.ch.testkit {
    requires com.squareup.moshi;
    requires okio;
    requires org.newsclub.net.unix;
    requires org.slf4j;
    // Both optional (see the pom): present at compile time, needed at run time only by the features that use them.
    requires static org.junit.jupiter.api;
    // Request validation against the CH OpenAPI spec (an automatic module named after its jar).
    requires static swagger.request.validator.core;

    exports dev.virtualghost.ch.testkit;
    exports dev.virtualghost.ch.testkit.junit;
}
