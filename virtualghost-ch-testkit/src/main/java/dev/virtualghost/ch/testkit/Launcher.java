package dev.virtualghost.ch.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the {@code cloud-hypervisor} script that starts {@link FakeCloudHypervisorMain} in a new JVM. The child's
 * class path is this JVM's as the class loaders see it, not only {@code java.class.path}: under
 * {@code mvn exec:java} or an IDE's runner the testkit may come from a {@link URLClassLoader} that
 * {@code java.class.path} does not show, so the URLs of every such loader from the testkit's up are added, and
 * the jars of the classes the fake needs (testkit, junixsocket, Moshi, SLF4J) whatever loads them. Stateless.
 */
final class Launcher {
    private static final String[] NEEDED = {
        "dev.virtualghost.ch.testkit.FakeCloudHypervisorMain",
        "org.newsclub.net.unix.AFUNIXSocket",
        "com.squareup.moshi.Moshi",
        "okio.Buffer",
        "kotlin.Unit",
        "org.slf4j.LoggerFactory",
        "com.atlassian.oai.validator.OpenApiInteractionValidator",
    };

    private Launcher() {}

    static Path install(Path dir) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> args = new ArrayList<>();
        args.add(java);
        // A short-lived child: skip the optimizing JIT and use the smallest GC to start faster.
        args.add("-XX:TieredStopAtLevel=1");
        args.add("-XX:+UseSerialGC");
        args.add("-Xshare:auto");
        if (Runtime.version().feature() >= 22) {
            args.add("--enable-native-access=ALL-UNNAMED");
        }
        args.add("-cp");
        args.add(String.join(File.pathSeparator, classPath()));
        args.add(FakeCloudHypervisorMain.class.getName());
        StringBuilder script =
                new StringBuilder("#!/bin/sh\n# Fake cloud-hypervisor for tests (virtualghost-ch-testkit).\nexec");
        for (String a : args) {
            script.append(' ').append(quote(a));
        }
        script.append(" \"$@\"\n");
        Path file = dir.resolve("cloud-hypervisor");
        try {
            Files.writeString(file, script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fake cloud-hypervisor launcher " + file + ": " + e, e);
        }
        return file;
    }

    /** The child's class path entries, in order, without duplicates. */
    static List<String> classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(e);
            }
        }
        List<ClassLoader> loaders = new ArrayList<>();
        for (ClassLoader l = Launcher.class.getClassLoader(); l != null; l = l.getParent()) {
            loaders.add(0, l);
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && !loaders.contains(context)) {
            loaders.add(context);
        }
        for (ClassLoader l : loaders) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    file(url).ifPresent(entries::add);
                }
            }
        }
        for (String name : NEEDED) {
            try {
                CodeSource source = Class.forName(name, false, Launcher.class.getClassLoader())
                        .getProtectionDomain()
                        .getCodeSource();
                if (source != null && source.getLocation() != null) {
                    file(source.getLocation()).ifPresent(entries::add);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // Optional (the validator) or not needed by this build of the fake.
            }
        }
        return new ArrayList<>(entries);
    }

    private static java.util.Optional<String> file(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Path.of(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
