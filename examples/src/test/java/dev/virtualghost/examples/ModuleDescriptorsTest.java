package dev.virtualghost.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.testkit.FakeCloudHypervisor;
import dev.virtualghost.launcher.Launcher;
import dev.virtualghost.vfio.VfioBinder;
import dev.virtualghost.vsock.HybridVsockDialer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library modules' descriptors, as compiled: every package is exported except {@code internal} ones and a
 * module's application package (so a new public package cannot be forgotten, nor an internal one leak), and every
 * {@code META-INF/services} provider is also declared with {@code provides} (or JPMS users would not see it).
 */
class ModuleDescriptorsTest {

    private static final List<Class<?>> MODULES = List.of(
            PciAddress.class,
            ChClient.class,
            FakeCloudHypervisor.class,
            VfioBinder.class,
            HybridVsockDialer.class,
            Launcher.class);

    /**
     * Packages that are an application, not API: not exported, only opened to the framework that reads them. The
     * launcher's CLI is run with {@code java -jar} or {@code -m}; picocli reflects over its command classes.
     */
    private static final Map<String, String> APPLICATION_PACKAGES =
            Map.of("dev.virtualghost.launcher.cli", "info.picocli");

    @Test
    void exportsAreExactlyTheNonInternalPackages() throws Exception {
        for (Class<?> anchor : MODULES) {
            try (Classes classes = Classes.of(anchor)) {
                ModuleDescriptor module = classes.descriptor();
                Set<String> exported = module.exports().stream()
                        .filter(e -> !e.isQualified())
                        .map(ModuleDescriptor.Exports::source)
                        .collect(Collectors.toCollection(TreeSet::new));
                Set<String> expected = classes.packages().stream()
                        .filter(p -> !p.endsWith(".internal") && !p.contains(".internal."))
                        .filter(p -> !APPLICATION_PACKAGES.containsKey(p))
                        .collect(Collectors.toCollection(TreeSet::new));

                assertThat(exported).as("exports of module %s", module.name()).isEqualTo(expected);
                for (String app : classes.packages()) {
                    if (APPLICATION_PACKAGES.containsKey(app)) {
                        assertThat(module.opens())
                                .as("%s opens its application package %s", module.name(), app)
                                .anySatisfy(o -> {
                                    assertThat(o.source()).isEqualTo(app);
                                    assertThat(o.targets()).containsExactly(APPLICATION_PACKAGES.get(app));
                                });
                    }
                }
            }
        }
    }

    @Test
    void everyServiceFileIsAlsoAProvidesClause() throws Exception {
        for (Class<?> anchor : MODULES) {
            try (Classes classes = Classes.of(anchor)) {
                ModuleDescriptor module = classes.descriptor();
                Path services = classes.root().resolve("META-INF/services");
                if (!Files.isDirectory(services)) {
                    assertThat(module.provides())
                            .as("provides of %s", module.name())
                            .isEmpty();
                    continue;
                }
                try (Stream<Path> files = Files.list(services)) {
                    for (Path file : files.toList()) {
                        String service = file.getFileName().toString();
                        List<String> listed = Files.readAllLines(file).stream()
                                .map(String::strip)
                                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                                .toList();
                        assertThat(module.provides())
                                .as("module %s provides %s with %s", module.name(), service, listed)
                                .anySatisfy(p -> {
                                    assertThat(p.service()).isEqualTo(service);
                                    assertThat(p.providers()).containsExactlyInAnyOrderElementsOf(listed);
                                });
                    }
                }
            }
        }
    }

    /** The classes directory or jar a class was loaded from (reactor build: target/classes; installed: the jar). */
    private record Classes(Path root, FileSystem jar) implements AutoCloseable {
        static Classes of(Class<?> anchor) throws IOException, URISyntaxException {
            Path location = Path.of(
                    anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return new Classes(location, null);
            }
            FileSystem fs = FileSystems.newFileSystem(location);
            return new Classes(fs.getPath("/"), fs);
        }

        ModuleDescriptor descriptor() throws IOException {
            try (InputStream in = Files.newInputStream(root.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }

        Set<String> packages() throws IOException {
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(f -> f.toString().endsWith(".class"))
                        .map(f -> root.relativize(f.getParent()).toString().replace('/', '.'))
                        .filter(p -> !p.isEmpty() && !p.startsWith("META-INF"))
                        .collect(Collectors.toCollection(TreeSet::new));
            }
        }

        @Override
        public void close() throws IOException {
            if (jar != null) {
                jar.close();
            }
        }
    }
}
