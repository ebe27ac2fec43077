package dev.virtualghost.ch.testkit.internal;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks request bodies against CH's OpenAPI description with swagger-request-validator.
 *
 * <p>Thread-safe: validation is serialized, as the simulator serves CH's one-at-a-time API anyway.
 */
public final class SpecValidator {
    /** Parsing the spec takes most of a second; simulators started by one test run share the result. */
    private static final Map<Path, SpecValidator> CACHE = new ConcurrentHashMap<>();

    private final OpenApiInteractionValidator validator;

    private SpecValidator(Path spec) {
        this.validator = OpenApiInteractionValidator.createForSpecificationUrl(
                        spec.toUri().toString())
                .build();
    }

    /** The validator for a spec file, parsed once per path (callers go through {@link SpecValidation}). */
    public static SpecValidator of(Path spec) {
        return CACHE.computeIfAbsent(spec.toAbsolutePath().normalize(), SpecValidator::new);
    }

    /** The validator's error messages for a PUT of {@code body} to {@code endpoint}; empty when valid. */
    public synchronized List<String> validate(Endpoint endpoint, byte[] body) {
        SimpleRequest request = SimpleRequest.Builder.put(endpoint.path())
                .withContentType("application/json")
                .withBody(new String(body, StandardCharsets.UTF_8))
                .build();
        ValidationReport report = validator.validateRequest(request);
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(ValidationReport.Message::getMessage)
                .collect(Collectors.toList());
    }
}
