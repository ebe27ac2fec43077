package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.CheckResult;
import dev.virtualghost.api.CheckStatus;
import dev.virtualghost.api.HostCheck;
import dev.virtualghost.api.HostCheckContext;
import dev.virtualghost.api.HostCheckProvider;
import dev.virtualghost.api.PciAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DoctorTest {

    @Test
    void collectsResultsInProviderOrderAndPassesTheContext() {
        AtomicReference<HostCheckContext> seen = new AtomicReference<>();
        HostCheckProvider first = ctx -> {
            seen.set(ctx);
            return List.of(HostCheck.of("a", () -> CheckResult.ok("a", "fine")));
        };
        HostCheckProvider second = ctx -> List.of(
                HostCheck.of("b", () -> CheckResult.warn("b", "slow", "add hugepages")),
                HostCheck.of("c", () -> CheckResult.fail("c", "missing", "install it")));
        HostCheckContext context = new HostCheckContext(8L << 30, List.of(PciAddress.parse("01:00.0")));

        DoctorReport report =
                Doctor.of(List.of(first, second), Duration.ofSeconds(5)).examine(context);

        assertThat(seen.get()).isEqualTo(context);
        assertThat(report.results()).extracting(CheckResult::check).containsExactly("a", "b", "c");
        assertThat(report.blocksLaunch()).isTrue();
        assertThat(report.count(CheckStatus.WARN)).isEqualTo(1);
    }

    @Test
    void aHungCheckIsReportedAsFailedAfterTheDeadline() {
        CountDownLatch never = new CountDownLatch(1);
        HostCheckProvider hung = ctx -> List.of(
                HostCheck.of("hung", () -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return CheckResult.ok("hung", "unreachable");
                }),
                HostCheck.of("quick", () -> CheckResult.ok("quick", "fine")));

        long start = System.nanoTime();
        DoctorReport report = Doctor.of(List.of(hung), Duration.ofMillis(300)).examine(HostCheckContext.generic());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(report.results().get(0).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(report.results().get(0).detail()).contains("no answer within 300 ms");
        assertThat(report.results().get(1).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void aThrowingCheckBecomesAFailureNotACrash() {
        HostCheckProvider broken = ctx -> List.of(HostCheck.of("broken", () -> {
            throw new IllegalStateException("boom");
        }));
        DoctorReport report = Doctor.of(List.of(broken), Duration.ofSeconds(2)).examine(HostCheckContext.generic());
        assertThat(report.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(r.detail()).contains("boom");
        });
    }

    @Test
    void rejectsANonPositiveTimeout() {
        assertThatThrownBy(() -> Doctor.of(List.of(), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
