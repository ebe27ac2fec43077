package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.Json;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Holds the client to CH's OpenAPI description ({@code ../shared/spec/cloud-hypervisor.yaml}): every path has an
 * annotated {@link ChClient} method with the right HTTP method, every schema a type of the same name in
 * {@code dev.virtualghost.ch.model}, every property a record component with the same JSON name and a compatible
 * Java type, and no record component that the spec does not know.
 */
class SpecCoverageTest {

    private static Map<String, Object> spec;

    @BeforeAll
    static void load() throws Exception {
        Path file = SharedSpec.file();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                spec = new Yaml(new LoaderOptions()).load(in);
            }
        }
    }

    /** Per test, so that each shows as skipped with the reason (a class-level assumption reports 0 tests run). */
    @BeforeEach
    void requireSpec() {
        Assumptions.assumeTrue(
                spec != null,
                "CH spec not found at " + SharedSpec.file().toAbsolutePath()
                        + ": skipping the spec coverage check; set -Dvirtualghost.shared.dir to the directory holding"
                        + " spec/cloud-hypervisor.yaml to run it");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> schemas() {
        return map(map(spec.get("components")).get("schemas"));
    }

    @Test
    void everyPathHasAnAnnotatedMethod(TestReporter reporter) {
        Map<String, List<String>> methods = new HashMap<>();
        for (Method m : ChClient.class.getMethods()) {
            ChEndpoint e = m.getAnnotation(ChEndpoint.class);
            if (e != null) {
                methods.computeIfAbsent("/" + e.value(), k -> new ArrayList<>()).add(e.method());
            }
        }
        Map<String, Object> paths = map(spec.get("paths"));
        List<String> missing = new ArrayList<>();
        int covered = 0;
        for (Map.Entry<String, Object> p : paths.entrySet()) {
            for (String verb : map(p.getValue()).keySet()) {
                if (methods.getOrDefault(p.getKey(), List.of()).contains(verb.toUpperCase())) {
                    covered++;
                } else {
                    missing.add(verb.toUpperCase() + " " + p.getKey());
                }
            }
        }
        assertThat(missing)
                .as("spec paths without an annotated ChClient method")
                .isEmpty();
        assertThat(methods.keySet())
                .as("annotated methods for paths the spec lacks")
                .isSubsetOf(paths.keySet());
        reporter.publishEntry("paths", covered + "/" + paths.size() + " paths covered");
        org.slf4j.LoggerFactory.getLogger(SpecCoverageTest.class).info("{}/{} paths covered", covered, paths.size());
    }

    @Test
    void everySchemaAndPropertyHasARecordComponent(TestReporter reporter) throws Exception {
        List<String> problems = new ArrayList<>();
        int schemaCount = 0;
        int props = 0;
        int propsCovered = 0;
        for (Map.Entry<String, Object> s : schemas().entrySet()) {
            Class<?> type;
            try {
                type = Class.forName("dev.virtualghost.ch.model." + s.getKey());
            } catch (ClassNotFoundException e) {
                problems.add("no type for schema " + s.getKey());
                continue;
            }
            Map<String, Object> schema = map(s.getValue());
            if ("string".equals(schema.get("type"))) {
                // String enums are constant holders (VmState an enum with wire names); values must match the spec's.
                Object values = type.isEnum()
                        ? java.util.Arrays.stream(type.getEnumConstants())
                                .map(c -> ((dev.virtualghost.ch.model.VmState) c).wireName())
                                .filter(java.util.Objects::nonNull)
                                .collect(java.util.stream.Collectors.toList())
                        : type.getField("VALUES").get(null);
                if (!values.equals(schema.get("enum"))) {
                    problems.add(s.getKey() + ".VALUES " + values + " != spec " + schema.get("enum"));
                } else {
                    schemaCount++;
                }
                continue;
            }
            if (!type.isRecord()) {
                problems.add(s.getKey() + " is not a record");
                continue;
            }
            schemaCount++;
            Map<String, RecordComponent> byJson = new HashMap<>();
            for (RecordComponent rc : type.getRecordComponents()) {
                if (rc.getType().isPrimitive()) {
                    problems.add(s.getKey() + "." + rc.getName() + " is primitive; box it so absence stays absence");
                }
                byJson.put(jsonName(type, rc), rc);
            }
            Map<String, Object> properties = schema.containsKey("properties") ? map(schema.get("properties")) : null;
            if (properties == null) {
                // A bare map schema (VmCounters): one component holding the map.
                if (!(byJson.size() == 1
                        && Map.class.isAssignableFrom(
                                byJson.values().iterator().next().getType()))) {
                    problems.add(s.getKey() + " should wrap a single map");
                }
                continue;
            }
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                props++;
                RecordComponent rc = byJson.remove(p.getKey());
                if (rc == null) {
                    problems.add("no component with JSON name " + s.getKey() + "." + p.getKey());
                    continue;
                }
                String mismatch = typeMismatch(map(p.getValue()), rc.getGenericType());
                if (mismatch != null) {
                    problems.add(s.getKey() + "." + p.getKey() + ": " + mismatch);
                    continue;
                }
                propsCovered++;
            }
            for (String extra : byJson.keySet()) {
                problems.add(s.getKey() + " has component " + extra + " that the spec does not define");
            }
        }
        assertThat(problems).as("spec/model mismatches").isEmpty();
        String summary = "%d/%d schemas, %d/%d properties covered"
                .formatted(schemaCount, schemas().size(), propsCovered, props);
        reporter.publishEntry("schemas", summary);
        org.slf4j.LoggerFactory.getLogger(SpecCoverageTest.class).info(summary);
        assertThat(schemaCount).as(summary).isEqualTo(schemas().size());
    }

    private static String jsonName(Class<?> type, RecordComponent rc) throws NoSuchFieldException {
        Json json = type.getDeclaredField(rc.getName()).getAnnotation(Json.class);
        if (json == null) {
            json = rc.getAccessor().getAnnotation(Json.class);
        }
        return json == null ? rc.getName() : json.name();
    }

    /** Returns why the Java type cannot hold the spec type, or null when it can (a rough check). */
    private static String typeMismatch(Map<String, Object> p, Type javaType) {
        Object ref = p.get("$ref");
        Class<?> raw = javaType instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) javaType;
        if (ref != null) {
            String name = ref.toString().substring(ref.toString().lastIndexOf('/') + 1);
            Map<String, Object> target = map(schemas().get(name));
            String expected = "string".equals(target.get("type")) && !raw.isEnum() ? "String" : name;
            return raw.getSimpleName().equals(expected)
                    ? null
                    : "expected " + expected + ", got " + raw.getSimpleName();
        }
        String t = String.valueOf(p.get("type"));
        return switch (t) {
            case "string" -> raw == String.class ? null : "expected String, got " + raw;
            case "boolean" -> raw == Boolean.class ? null : "expected Boolean, got " + raw;
            case "integer" -> {
                boolean wide = List.of("int64", "uint64", "uint32").contains(String.valueOf(p.get("format")));
                yield raw == Long.class || (!wide && raw == Integer.class)
                        ? null
                        : "expected " + (wide ? "Long" : "Integer or Long") + " for " + p.get("format") + ", got "
                                + raw;
            }
            case "number" -> raw == Double.class ? null : "expected Double, got " + raw;
            case "array" -> {
                if (raw != List.class) {
                    yield "expected List, got " + raw;
                }
                Type item = ((ParameterizedType) javaType).getActualTypeArguments()[0];
                yield typeMismatch(map(p.get("items")), item);
            }
            case "object" -> Map.class.isAssignableFrom(raw) ? null : "expected Map, got " + raw;
            default -> "unknown spec type " + t;
        };
    }
}
