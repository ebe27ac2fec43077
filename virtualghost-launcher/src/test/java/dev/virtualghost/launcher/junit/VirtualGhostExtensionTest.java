package dev.virtualghost.launcher.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.virtualghost.ch.testkit.FakeCloudHypervisor;
import dev.virtualghost.ch.testkit.PvhTestGuest;
import dev.virtualghost.launcher.LaunchSpec;
import dev.virtualghost.launcher.Session;
import dev.virtualghost.launcher.testing.Leaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs small test classes that use {@link VirtualGhostExtension} through the JUnit Platform and checks what JUnit
 * sees: a fresh VM injected per test, closed after each (also after a failure), the failure carrying the serial
 * tail, the VMM log and the events, and a whole class skipped with the preflight's reason when the host cannot
 * run the VM. The VMs run on the testkit's fake CH as a process, playing an idle PvhTestGuest.
 */
class VirtualGhostExtensionTest {
    static final String INNER = "virtualghost.extension-test.inner";
    static volatile LaunchSpec spec;
    static final Set<Long> VMM_PIDS = ConcurrentHashMap.newKeySet();

    @TempDir
    Path tmp;

    /** Used through the platform only (a test-pattern run that picks it up directly skips it). */
    @EnabledIfSystemProperty(named = INNER, matches = "true")
    static class PerTestUse {
        @RegisterExtension
        static VirtualGhostExtension vm = VirtualGhostExtension.perTest(() -> spec);

        @Test
        void first(Session vm) {
            VMM_PIDS.add(vm.vmm().handle().pid());
            assertThat(vm.isRunning()).isTrue();
        }

        @Test
        void second(Session vm) {
            VMM_PIDS.add(vm.vmm().handle().pid());
            assertThat(vm.isRunning()).isTrue();
        }

        @Test
        void fails(Session vm) throws Exception {
            // Wait for the guest's line so that the serial tail has something to show.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!vm.serialTail(5).contains("idle guest") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            vm.awaitEvent("vm", "booted", Duration.ofSeconds(10));
            throw new AssertionError("the guest did something unexpected");
        }
    }

    record Outcome(Map<String, TestExecutionResult> results, Map<String, String> skipped, List<ReportEntry> entries) {}

    private static Outcome runPlatform(Class<?> testClass) {
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        Map<String, String> skipped = new ConcurrentHashMap<>();
        List<ReportEntry> entries = new CopyOnWriteArrayList<>();
        System.setProperty(INNER, "true");
        try {
            execute(testClass, results, skipped, entries);
        } finally {
            System.clearProperty(INNER);
        }
        return new Outcome(results, skipped, entries);
    }

    private static void execute(
            Class<?> testClass,
            Map<String, TestExecutionResult> results,
            Map<String, String> skipped,
            List<ReportEntry> entries) {
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(testClass))
                                .build(),
                        new TestExecutionListener() {
                            @Override
                            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                                if (id.isTest()) {
                                    results.put(id.getDisplayName(), result);
                                } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                                    results.put("container " + id.getDisplayName(), result);
                                }
                            }

                            @Override
                            public void executionSkipped(TestIdentifier id, String reason) {
                                skipped.put(id.getDisplayName(), reason);
                            }

                            @Override
                            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                                entries.add(entry);
                            }
                        });
    }

    @Test
    void aFreshVmPerTestClosedEvenAfterAFailureWithDiagnosticsAttached() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("rt"));
        Path ch = FakeCloudHypervisor.installLauncher(Files.createDirectory(tmp.resolve("fake")));
        Path kernel = PvhTestGuest.builder()
                .serialLine("idle guest")
                .mode(PvhTestGuest.Mode.HALT)
                .build()
                .writeTo(tmp.resolve("idle.elf"));
        spec = LaunchSpec.builder()
                .chBinary(ch)
                .kernel(kernel)
                .memoryBytes(64L << 20)
                .runtimeRoot(root)
                .shutdownGrace(Duration.ofMillis(300))
                .build();

        Outcome o = runPlatform(PerTestUse.class);

        assertThat(o.results().get("first(Session)").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(o.results().get("second(Session)").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(VMM_PIDS).as("one VM per test").hasSize(2);
        TestExecutionResult failed = o.results().get("fails(Session)");
        assertThat(failed.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        Throwable t = failed.getThrowable().orElseThrow();
        assertThat(t).hasMessage("the guest did something unexpected");
        assertThat(t.getSuppressed())
                .singleElement()
                .satisfies(s -> assertThat(s.getMessage())
                        .contains("[serial]", "idle guest", "[vmm log]", "[events]", "booted"));
        assertThat(o.entries())
                .flatExtracting(e -> e.getKeyValuePairs().keySet())
                .contains("virtualghost.serial", "virtualghost.vmm-log", "virtualghost.events");
        Leaks.assertNothingLeftIn(root);
        Leaks.assertNoVmmUnder(root);
    }

    /** Used through the platform only. */
    @EnabledIfSystemProperty(named = INNER, matches = "true")
    static class UnrunnableUse {
        @RegisterExtension
        static VirtualGhostExtension vm = VirtualGhostExtension.perClass(() -> spec);

        @Test
        void never(Session vm) {
            throw new AssertionError("must not run");
        }
    }

    @Test
    void aHostThatCannotRunTheVmSkipsWithThePreflightReason() {
        spec = LaunchSpec.builder()
                .chBinary(tmp.resolve("no-cloud-hypervisor"))
                .kernel(tmp.resolve("vmlinux"))
                .runtimeRoot(tmp.resolve("rt"))
                .build();
        String strict = System.getProperty("virtualghost.it.strict");
        try {
            System.setProperty("virtualghost.it.strict", "false");
            Outcome o = runPlatform(UnrunnableUse.class);
            assertThat(o.results()).isEmpty();
            assertThat(o.skipped().values())
                    .singleElement()
                    .asString()
                    .startsWith("this host cannot run the test VM: cloud-hypervisor binary")
                    .contains("does not exist");

            System.setProperty("virtualghost.it.strict", "true");
            Outcome strictRun = runPlatform(UnrunnableUse.class);
            assertThat(strictRun.skipped()).isEmpty();
            assertThat(strictRun.results().values()).singleElement().satisfies(r -> {
                assertThat(r.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
                assertThat(r.getThrowable().orElseThrow()).hasMessageContaining("(virtualghost.it.strict=true)");
            });
        } finally {
            if (strict == null) {
                System.clearProperty("virtualghost.it.strict");
            } else {
                System.setProperty("virtualghost.it.strict", strict);
            }
        }
    }
}
