package dev.virtualghost.ch.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks CH makes on a request before its handler runs, answered with CH's 404 and 400 chains: routing, method,
 * Content-Type and body presence first, then JSON parsing, the optional OpenAPI check and the required and
 * integer fields that serde would reject.
 *
 * <p>Thread-safe: immutable, and the {@link SpecValidator} serializes its own work. Holds no resources.
 */
public final class RequestDecoder {
    private static final String BAD_JSON = "Failed to deserialize JSON";
    /** Whether vm.coredump has a route: only with {@code -Dvirtualghost.fake.ch.guestDebug=true}. */
    private static final boolean COREDUMP_ROUTED = Boolean.getBoolean("virtualghost.fake.ch.guestDebug");

    private final SpecValidator validator;

    /** A decoder that also checks bodies against {@code validator}; null for none. */
    public RequestDecoder(SpecValidator validator) {
        this.validator = validator;
    }

    /**
     * Checks routing and framing: the path is known, the method is the endpoint's, the Content-Type is one
     * micro_http accepts and a body is present exactly when the endpoint takes one.
     *
     * @param endpoint the endpoint at the request's path, or null for an unknown path
     * @throws ApiFailure 404 for an unknown path, 400 for the rest
     */
    public static void checkRoute(Endpoint endpoint, HttpExchange.Request request) throws ApiFailure {
        if (endpoint == null || endpoint == Endpoint.VM_COREDUMP && !COREDUMP_ROUTED) {
            // vm.coredump is routed only in builds with the guest_debug feature; CH's default build (the reference
            // v54) answers it 404 like an unknown path (measured).
            // CH's router answers error_response(HttpError::NotFound) for a path it has no route for.
            throw new ApiFailure(404, List.of("Not Found"));
        }
        if (!endpoint.method().equals(request.method())) {
            throw new ApiFailure(400, List.of("Bad Request"));
        }
        String contentType = request.headers().get("content-type");
        if (contentType != null && !contentType.equals("application/json") && !contentType.equals("text/plain")) {
            // micro_http's MediaType accepts exactly these two strings; "application/json; charset=utf-8" fails.
            throw new ApiFailure(400, List.of("Invalid content type: " + contentType));
        }
        boolean hasBody = request.body().length > 0;
        if (endpoint.body() == Endpoint.Body.NONE && hasBody) {
            throw new ApiFailure(400, List.of("Bad Request"));
        }
        if (endpoint.body() == Endpoint.Body.REQUIRED && !hasBody) {
            throw new ApiFailure(400, List.of("Bad Request"));
        }
    }

    /**
     * Parses a body into a JSON object tree and checks it.
     *
     * @throws ApiFailure 400 with a "Failed to deserialize JSON" chain when the body is not acceptable
     */
    public Object decodeBody(Endpoint endpoint, byte[] raw) throws ApiFailure {
        Object body;
        try {
            body = Json.parse(new String(raw, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiFailure(400, List.of(BAD_JSON, String.valueOf(e.getMessage())));
        }
        if (validator != null) {
            List<String> problems = validator.validate(endpoint, raw);
            if (!problems.isEmpty()) {
                List<String> chain = new ArrayList<>();
                chain.add(BAD_JSON);
                chain.addAll(problems);
                throw new ApiFailure(400, chain);
            }
        }
        if (!(body instanceof Map<?, ?> map)) {
            throw new ApiFailure(400, List.of(BAD_JSON, "expected a JSON object"));
        }
        String required = requiredField(endpoint);
        if (required != null && !map.containsKey(required)) {
            throw new ApiFailure(400, List.of(BAD_JSON, "missing field `" + required + "`"));
        }
        for (String[] path : integerFields(endpoint)) {
            Object value = body;
            for (String key : path) {
                value = value instanceof Map<?, ?> m ? m.get(key) : null;
            }
            if (value != null && !(value instanceof Long)) {
                // serde rejects a mistyped field of a typed struct; these are the ones the simulator reads.
                throw new ApiFailure(
                        400,
                        List.of(
                                BAD_JSON,
                                "invalid type: " + Json.write(value) + ", expected an integer at "
                                        + String.join(".", path)));
            }
        }
        return body;
    }

    private static List<String[]> integerFields(Endpoint endpoint) {
        switch (endpoint) {
            case VM_CREATE:
                return List.of(new String[] {"cpus", "boot_vcpus"}, new String[] {"cpus", "max_vcpus"}, new String[] {
                    "memory", "size"
                });
            case VM_RESIZE:
                return List.of(
                        new String[] {"desired_vcpus"}, new String[] {"desired_ram"}, new String[] {"desired_balloon"});
            case VM_RESIZE_DISK:
                return List.<String[]>of(new String[] {"desired_size"});
            case VM_RESIZE_ZONE:
                return List.<String[]>of(new String[] {"desired_ram"});
            default:
                return List.of();
        }
    }

    /** The one field the simulator needs in each body even without the spec (serde would also demand it). */
    private static String requiredField(Endpoint endpoint) {
        switch (endpoint) {
            case VM_CREATE:
                return "payload";
            case VM_REMOVE_DEVICE:
            case VM_RESIZE_DISK:
            case VM_RESIZE_ZONE:
                return "id";
            case VM_SNAPSHOT:
            case VM_COREDUMP:
                return "destination_url";
            case VM_RESTORE:
                return "source_url";
            case VM_ADD_VSOCK:
                return "cid";
            default:
                return null;
        }
    }
}
