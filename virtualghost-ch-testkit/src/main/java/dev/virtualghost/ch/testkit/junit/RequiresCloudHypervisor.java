package dev.virtualghost.ch.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs a real {@code cloud-hypervisor}, as found by
 * {@link dev.virtualghost.ch.testkit.CloudHypervisorBinary#find()}. Without one the test is skipped with the
 * reason, or fails when the system property {@code virtualghost.it.strict} is {@code true} (CI sets it where the
 * binary exists, so that it cannot silently skip). The test takes the binary from
 * {@code CloudHypervisorBinary.find().orElseThrow()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(CloudHypervisorCondition.class)
public @interface RequiresCloudHypervisor {}
