package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.VirtualGhostException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FlowTest {
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Step acquiring(String name) {
        return Step.of(name, undos -> {
            log.add("do " + name);
            undos.push("undo " + name, () -> log.add("undo " + name));
        });
    }

    private final LaunchListener recording = new LaunchListener() {
        @Override
        public void stepFailed(String step, Exception failure) {
            log.add("failed " + step);
        }

        @Override
        public void undoFailed(String undo, Exception failure) {
            log.add("undo failed " + undo);
        }
    };

    @Test
    void aFailingStepUnwindsEarlierStepsInReverseAndNamesTheStep() {
        Flow flow = Flow.of(List.of(acquiring("vfio.bind"), acquiring("ch.spawn"),
                Step.of("ch.create", undos -> {
                    throw new IOException("vm.create: 500");
                }), acquiring("ch.boot")), recording);

        assertThatThrownBy(flow::start)
                .isInstanceOf(FlowException.class)
                .hasMessage("ch.create: vm.create: 500")
                .satisfies(e -> assertThat(((FlowException) e).step()).isEqualTo("ch.create"));

        assertThat(log).containsExactly("do vfio.bind", "do ch.spawn", "failed ch.create",
                "undo ch.spawn", "undo vfio.bind");
    }

    @Test
    void undoFailuresAreAttachedAndTheRestStillRun() {
        Flow flow = Flow.of(List.of(acquiring("a"),
                Step.of("b", undos -> undos.push("undo b", () -> {
                    throw new IOException("b already gone?");
                })),
                Step.of("c", undos -> {
                    throw new IllegalStateException("c broke");
                })), recording);

        assertThatThrownBy(flow::start)
                .isInstanceOf(FlowException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("b already gone?")));
        assertThat(log).containsExactly("do a", "failed c", "undo failed undo b", "undo a");
    }

    @Test
    void aStepThatFailsHalfwayReleasesWhatItAlreadyAcquired() {
        Flow flow = Flow.of(List.of(Step.of("two-things", undos -> {
            undos.push("release first", () -> log.add("release first"));
            throw new IOException("second failed");
        })), LaunchListener.NONE);

        assertThatThrownBy(flow::start).hasMessageContaining("second failed");
        assertThat(log).containsExactly("release first");
    }

    @Test
    void closeUnwindsOnceInReverse() {
        Flow.Running running = Flow.of(List.of(acquiring("a"), acquiring("b")), LaunchListener.NONE).start();
        assertThat(running.pendingUndos()).isEqualTo(2);

        running.close();
        running.close();

        assertThat(log).containsExactly("do a", "do b", "undo b", "undo a");
        assertThat(running.pendingUndos()).isZero();
    }

    @Test
    void closeReportsUndoFailuresAfterRunningAll() {
        Flow.Running running = Flow.of(List.of(acquiring("a"),
                Step.of("b", undos -> undos.push("undo b", () -> {
                    throw new IOException("stuck");
                }))), LaunchListener.NONE).start();

        assertThatThrownBy(running::close).isInstanceOf(VirtualGhostException.class)
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
        flow.start().close();
        assertThatThrownBy(flow::start).isInstanceOf(IllegalStateException.class);
    }
}
