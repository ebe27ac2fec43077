package dev.virtualghost.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.api.CheckResult;
import dev.virtualghost.api.HostCheck;
import dev.virtualghost.api.HostCheckProvider;
import dev.virtualghost.launcher.Doctor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code virtualghost doctor}'s exit code follows what blocks {@code run}, so {@code doctor && ...} is safe. */
class DoctorCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int doctor(CheckResult... results) {
        HostCheckProvider provider = context -> List.of(results).stream()
                .map(r -> HostCheck.of(r.check(), () -> r))
                .toList();
        DoctorCommand command = new DoctorCommand();
        command.doctors = () -> Doctor.of(List.of(provider), Duration.ofSeconds(5));
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute();
    }

    @Test
    void aFailedCheckExitsOneWithTheFullReportOnStdout() {
        int code = doctor(
                CheckResult.ok("kvm", "/dev/kvm is usable"),
                CheckResult.fail("iommu", "the IOMMU is off", "add intel_iommu=on to the kernel command line"),
                CheckResult.warn("hugepages", "none reserved", "reserve some for speed"));

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString())
                .contains("kvm")
                .contains("the IOMMU is off")
                .contains("intel_iommu=on")
                .contains("none reserved")
                .contains("1 failed")
                .contains("This host cannot launch a VM until the failures are fixed.");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void warningsAloneExitZero() {
        int code = doctor(
                CheckResult.ok("kvm", "/dev/kvm is usable"),
                CheckResult.warn("hugepages", "none reserved", "reserve some for speed"));

        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("none reserved").contains("This host is ready.");
    }
}
