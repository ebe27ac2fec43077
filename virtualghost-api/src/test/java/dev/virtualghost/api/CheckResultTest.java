package dev.virtualghost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckResultTest {

    @Test
    void failureNeedsARemedy() {
        assertThatThrownBy(() -> CheckResult.fail("kvm", "no /dev/kvm", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a remedy");
    }

    @Test
    void rendersOnOneLine() {
        CheckResult r = CheckResult.fail("vfio.device", "/dev/vfio/vfio missing", "modprobe vfio-pci");
        assertThat(r.toString()).isEqualTo("vfio.device: FAIL: /dev/vfio/vfio missing (modprobe vfio-pci)");
        assertThat(r.status().blocksLaunch()).isTrue();
        assertThat(CheckResult.warn("h", "none", "add hugepages").status().blocksLaunch())
                .isFalse();
    }

    @Test
    void hostCheckOfRunsTheProbe() {
        HostCheck check = HostCheck.of("x", () -> CheckResult.ok("x", "fine"));
        assertThat(check.name()).isEqualTo("x");
        assertThat(check.run().status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void contextCopiesDevicesAndRejectsNegativeMemory() {
        var devices = new java.util.ArrayList<>(List.of(PciAddress.parse("01:00.0")));
        HostCheckContext ctx = new HostCheckContext(1L << 30, devices);
        devices.clear();
        assertThat(ctx.devices()).hasSize(1);
        assertThatThrownBy(() -> new HostCheckContext(-1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(HostCheckContext.generic().devices()).isEmpty();
    }
}
