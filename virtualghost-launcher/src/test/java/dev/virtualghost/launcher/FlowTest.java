package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.VirtualGhostException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class FlowTest {
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Step acquiring(String name) {
        return Step.of(name, ctx -> {
            log.add("do " + name);
            ctx.undos().push("undo " + name, () -> log.add("undo " + name));
        });
    }

    private final LaunchListener recording = new LaunchListener() {
        @Override
        public void stepFailed(String step, Throwable failure) {
            log.add("failed " + step);
        }

        @Override
        public void undoFailed(String undo, Throwable failure) {
            log.add("undo failed " + undo);
        }
    };

    @Test
    void aFailingStepUnwindsEarlierStepsInReverseAndNamesTheStep() {
        Flow flow = Flow.of(
                List.of(
                        acquiring("vfio.bind"),
                        acquiring("ch.spawn"),
                        Step.of("ch.create", ctx -> {
                            throw new IOException("vm.create: 500");
                        }),
                        acquiring("ch.boot")),
                recording);

        assertThatThrownBy(() -> start(flow))
                .isInstanceOf(FlowException.class)
                .hasMessage("ch.create: vm.create: 500")
                .satisfies(e -> assertThat(((FlowException) e).step()).isEqualTo("ch.create"));

        assertThat(log)
                .containsExactly("do vfio.bind", "do ch.spawn", "failed ch.create", "undo ch.spawn", "undo vfio.bind");
    }

    @Test
    void undoFailuresAreAttachedAndTheRestStillRun() {
        Flow flow = Flow.of(
                List.of(
                        acquiring("a"),
                        Step.of(
                                "b",
                                ctx -> ctx.undos().push("undo b", () -> {
                                    throw new IOException("b already gone?");
                                })),
                        Step.of("c", ctx -> {
                            throw new IllegalStateException("c broke");
                        })),
                recording);

        assertThatThrownBy(() -> start(flow))
                .isInstanceOf(FlowException.class)
                .satisfies(e -> assertThat(e.getSuppressed())
                        .singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("b already gone?")));
        assertThat(log).containsExactly("do a", "failed c", "undo failed undo b", "undo a");
    }

    @Test
    void aStepThatFailsHalfwayReleasesWhatItAlreadyAcquired() {
        Flow flow = Flow.of(
                List.of(Step.of("two-things", ctx -> {
                    ctx.undos().push("release first", () -> log.add("release first"));
                    throw new IOException("second failed");
                })),
                LaunchListener.NONE);

        assertThatThrownBy(() -> start(flow)).hasMessageContaining("second failed");
        assertThat(log).containsExactly("release first");
    }

    @Test
    void closeUnwindsOnceInReverse() {
        Flow.Running running = start(Flow.of(List.of(acquiring("a"), acquiring("b")), LaunchListener.NONE));
        assertThat(running.pendingUndos()).isEqualTo(2);

        running.close();
        running.close();

        assertThat(log).containsExactly("do a", "do b", "undo b", "undo a");
        assertThat(running.pendingUndos()).isZero();
    }

    @Test
    void closeReportsUndoFailuresAfterRunningAll() {
        Flow.Running running = start(Flow.of(
                List.of(
                        acquiring("a"),
                        Step.of(
                                "b",
                                ctx -> ctx.undos().push("undo b", () -> {
                                    throw new IOException("stuck");
                                }))),
                LaunchListener.NONE));

        assertThatThrownBy(running::close)
                .isInstanceOf(VirtualGhostException.class)
                .hasMessageContaining("tear-down incomplete")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        assertThat(log).endsWith("undo a");
    }

    @Test
    void stepsCanBeInsertedAndRemovedBeforeStart() {
        Flow flow = Flow.of(new ArrayList<>(List.of(acquiring("a"), acquiring("c"))), LaunchListener.NONE)
                .insertAfter("a", acquiring("b"));
        assertThat(flow.stepNames()).containsExactly("a", "b", "c");
        flow.remove("c");
        assertThat(flow.stepNames()).containsExactly("a", "b");
        assertThatThrownBy(() -> flow.remove("zzz")).hasMessageContaining("no step named zzz");
        assertThatThrownBy(() -> flow.insertAfter("a", acquiring("b"))).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> Flow.of(List.of(acquiring("x"), acquiring("x")), LaunchListener.NONE))
                .hasMessageContaining("duplicate step name: x");
    }

    @Test
    void aFlowStartsOnce() {
        Flow flow = Flow.of(List.of(acquiring("a")), LaunchListener.NONE);
        start(flow).close();
        assertThatThrownBy(() -> start(flow)).isInstanceOf(IllegalStateException.class);
    }

    static final LaunchSpec SPEC = LaunchSpec.builder()
            .kernel(Path.of("/nonexistent/vmlinux"))
            .runtimeRoot(Path.of("/nonexistent/run"))
            .build();

    static Flow.Running start(Flow flow) {
        return flow.start(flow.newContext(SPEC));
    }

    @Test
    void anAssertionErrorInAStepStillUnwinds() {
        Flow flow = Flow.of(
                List.of(acquiring("a"), Step.of("check", ctx -> {
                    throw new AssertionError("expected 1 but was 2");
                })),
                recording);

        assertThatThrownBy(() -> start(flow))
                .isInstanceOf(FlowException.class)
                .hasMessage("check: expected 1 but was 2")
                .hasCauseInstanceOf(AssertionError.class);
        assertThat(log).containsExactly("do a", "failed check", "undo a");
    }

    @Test
    void aThrowingListenerStopsNeitherTheLaunchNorTheUnwind() {
        LaunchListener hostile = new LaunchListener() {
            @Override
            public void stepStarted(String step) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void undoStarted(String undo) {
                throw new IllegalStateException("listener bug");
            }
        };
        Flow.Running running = start(Flow.of(List.of(acquiring("a"), acquiring("b")), hostile));
        running.close();
        assertThat(log).containsExactly("do a", "do b", "undo b", "undo a");
    }

    @Test
    void anUndoPastItsDeadlineIsReportedAndTheNextOneStillRuns() {
        CountDownLatch release = new CountDownLatch(1);
        Flow.Running running = start(Flow.of(
                List.of(
                        acquiring("gpu"),
                        Step.of(
                                "vmm",
                                ctx -> ctx.undos().push("stop vmm", Duration.ofMillis(200), () -> release.await()))),
                recording));

        long t0 = System.nanoTime();
        assertThatThrownBy(running::close).hasMessageContaining("did not finish within PT0.2S");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(log).containsExactly("do gpu", "undo failed stop vmm", "undo gpu");
        release.countDown();
    }

    @Test
    void stepsCanBeInsertedBeforeAndReplacedByName() {
        Flow flow = Flow.of(List.of(acquiring("a"), acquiring("c")), LaunchListener.NONE)
                .insertBefore("c", acquiring("b"))
                .replace("a", acquiring("a2"));
        assertThat(flow.stepNames()).containsExactly("a2", "b", "c");
        assertThatThrownBy(() -> flow.replace("b", acquiring("c"))).hasMessageContaining("duplicate");
        start(flow).close();
        assertThat(log).containsExactly("do a2", "do b", "do c", "undo c", "undo b", "undo a2");
    }

    @Test
    void aCancelledLaunchStopsBeforeTheNextStepAndUnwinds() {
        Flow flow = Flow.of(
                List.of(acquiring("a"), Step.of("cancel", ctx -> ctx.cancel("SIGINT")), acquiring("never")), recording);
        assertThatThrownBy(() -> start(flow))
                .isInstanceOf(FlowException.class)
                .hasMessage("never: SIGINT")
                .hasCauseInstanceOf(LaunchCancelledException.class);
        assertThat(log).containsExactly("do a", "failed never", "undo a");
    }

    @Test
    void stepsShareTypedResourcesThroughTheContext() {
        Key<String> greeting = Key.of("greeting", String.class);
        Flow flow = Flow.of(
                List.of(
                        Step.of("put", ctx -> ctx.put(greeting, "hello")),
                        Step.of("get", ctx -> log.add(ctx.require(greeting))),
                        Step.of("missing", ctx -> ctx.require(Keys.CH_PROCESS))),
                recording);
        assertThatThrownBy(() -> start(flow)).hasMessageContaining("no vmm.process in the launch context");
        assertThat(log).containsExactly("hello", "failed missing");
    }
}
