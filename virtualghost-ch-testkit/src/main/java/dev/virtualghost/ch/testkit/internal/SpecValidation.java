package dev.virtualghost.ch.testkit.internal;

import java.nio.file.Path;

/**
 * The door to {@link SpecValidator}, safe to touch without swagger-request-validator on the class path (an optional
 * dependency of the testkit): {@link SpecValidator} itself links the validator's classes as soon as it is loaded.
 * Stateless.
 */
public final class SpecValidation {
    private SpecValidation() {}

    /** Whether swagger-request-validator is on the class path. */
    public static boolean available() {
        try {
            Class.forName(
                    "com.atlassian.oai.validator.OpenApiInteractionValidator",
                    false,
                    SpecValidation.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The validator for {@code spec}.
     *
     * @throws IllegalStateException if swagger-request-validator is not on the class path, saying what to add
     */
    public static SpecValidator validator(Path spec) {
        if (!available()) {
            throw new IllegalStateException("checking requests against " + spec + " needs com.atlassian.oai:"
                    + "swagger-request-validator-core on the class path: add it as a test dependency (the testkit "
                    + "declares it optional)");
        }
        return SpecValidator.of(spec);
    }
}
