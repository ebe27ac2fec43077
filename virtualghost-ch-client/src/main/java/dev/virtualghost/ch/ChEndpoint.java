package dev.virtualghost.ch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link ChClient} method with the CH API path it calls, e.g. {@code @ChEndpoint("vm.create")}, so
 * tests can map the spec's paths to methods by reflection.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ChEndpoint {

    /** The path below {@code /api/v1}, e.g. {@code vm.boot}. */
    String value();

    /** The HTTP method, {@code PUT} unless said otherwise. */
    String method() default "PUT";
}
