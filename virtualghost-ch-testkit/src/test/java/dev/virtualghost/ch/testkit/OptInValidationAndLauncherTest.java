package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's testkit items: the swagger validator is opt-in (the fake runs without it), the stand-in launcher
 * works when the testkit is loaded by a {@link URLClassLoader} that {@code java.class.path} does not show (as
 * under {@code mvn exec:java}), and the in-process fake gives typed events.
 */
class OptInValidationAndLauncherTest {
    @TempDir
    Path dir;

    @Test
    void fakeRunsWithoutTheValidatorAndSaysWhatToAddWhenAskedToValidate() throws Exception {
        List<String> cp = Launcher.classPath().stream()
                .filter(e -> !e.contains("swagger-request-validator"))
                .collect(Collectors.toList());
        assertThat(cp)
                .as("the test class path has the validator to drop")
                .hasSizeLessThan(Launcher.classPath().size());
        Path socket = dir.resolve("api.sock");
        Process fake = java(cp, Map.of(), "--api-socket", "path=" + socket);
        try {
            // The socket file appears at bind, a moment before the listener accepts: retry until it answers.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            RawHttp.Response ping = null;
            while (ping == null && System.nanoTime() < end && fake.isAlive()) {
                try {
                    ping = RawHttp.get(socket, "vmm.ping");
                } catch (java.io.IOException notYet) {
                    Thread.sleep(20);
                }
            }
            assertThat(ping).as("the fake answered without the validator").isNotNull();
            assertThat(ping.status()).isEqualTo(200);
            assertThat(RawHttp.put(socket, "vm.create", "{\"payload\":{\"kernel\":\"/k\"}}")
                            .status())
                    .isEqualTo(204);
        } finally {
            fake.destroy();
            fake.waitFor(10, TimeUnit.SECONDS);
        }
        Process refused = java(
                cp,
                Map.of("VIRTUALGHOST_FAKE_CH_SPEC", "/some/cloud-hypervisor.yaml"),
                "--api-socket",
                "path=" + dir.resolve("b.sock"));
        assertThat(refused.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(1);
        assertThat(new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("swagger-request-validator-core");
    }

    @Test
    void launcherWorksWhenTheTestkitComesFromAUrlClassLoader() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String e : Launcher.classPath()) {
            urls.add(Path.of(e).toUri().toURL());
        }
        String saved = System.getProperty("java.class.path");
        Path script;
        try (URLClassLoader loader =
                new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            // What exec:java shows: a class path that does not hold the testkit.
            System.setProperty(
                    "java.class.path",
                    Path.of(System.getProperty("java.home"), "lib").toString());
            Class<?> fake = loader.loadClass(FakeCloudHypervisor.class.getName());
            assertThat(fake.getClassLoader()).isSameAs(loader);
            Method install = fake.getMethod("installLauncher", Path.class);
            script = (Path) install.invoke(null, dir);
        } finally {
            System.setProperty("java.class.path", saved);
        }
        Process p = new ProcessBuilder(script.toString(), "--version").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("cloud-hypervisor v" + FakeCloudHypervisor.DEFAULT_VERSION);
    }

    @Test
    void inProcessFakeGivesTypedEvents() throws Exception {
        try (FakeCloudHypervisor ch = FakeCloudHypervisor.builder()
                        .socket(dir.resolve("api.sock"))
                        .start();
                ChClient client = ChClient.builder().socket(ch.socket()).build()) {
            client.create(VmConfig.builder()
                    .payload(PayloadConfig.ofKernel("/k", null))
                    .build());
            client.boot();
            VmmEvent booted =
                    ch.awaitEvent("vm", "booted", Duration.ofSeconds(5)).orElseThrow();
            assertThat(booted.timestamp()).isPositive();
            assertThat(booted.properties()).isEmpty();
            assertThat(ch.events())
                    .extracting(e -> e.source() + " " + e.event())
                    .containsExactly("vmm starting", "vm booting", "vm booted");
            assertThat(ch.awaitEvent("vm", "paused", Duration.ofMillis(50))).isEmpty();
        }
    }

    private static Process java(List<String> cp, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                String.join(File.pathSeparator, cp),
                FakeCloudHypervisorMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        return pb.start();
    }
}
