package dev.virtualghost.examples;

import dev.virtualghost.api.CheckResult;
import dev.virtualghost.api.HostCheck;
import dev.virtualghost.api.HostCheckContext;
import dev.virtualghost.api.HostCheckProvider;
import dev.virtualghost.api.PciAddress;
import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChEvent;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.model.CpusConfig;
import dev.virtualghost.ch.model.DiskConfig;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.model.VsockConfig;
import dev.virtualghost.ch.testkit.FakeCloudHypervisor;
import dev.virtualghost.vfio.VfioBinder;
import dev.virtualghost.vfio.VfioBinding;
import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.VsockConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The code snippets of {@code docs/sdk.md}, as real methods so that they compile (and {@code SdkDocTest} runs
 * some of them). The text between {@code // snippet: NAME} and {@code // end snippet} is what the document shows,
 * and {@code SdkDocTest} fails when the two differ.
 */
public final class SdkSnippets {
    private SdkSnippets() {}

    /**
     * Starts a VMM, creates and boots a VM, reads its info and the events, shuts everything down.
     *
     * @param cloudHypervisor the {@code cloud-hypervisor} binary
     * @param kernel the guest kernel
     * @param disk the root disk image
     * @return the VM's state after boot and the events seen
     */
    public static String startAVm(Path cloudHypervisor, Path kernel, Path disk) {
        // snippet: start-a-vm
        List<ChEvent> events = new CopyOnWriteArrayList<>();
        try (ChProcess vmm = ChProcess.builder()
                .binary(cloudHypervisor) // or leave out: $VIRTUALGHOST_CH_BINARY, then PATH
                .eventListener(events::add) // CH's --event-monitor, parsed
                .start()) { // a private 0700 runtime dir holds the API socket and logs
            vmm.awaitApi(Duration.ofSeconds(10));
            ChClient api = vmm.client();
            api.create(VmConfig.builder()
                    .payload(PayloadConfig.ofKernel(kernel, "console=ttyS0 root=/dev/vda"))
                    .cpus(CpusConfig.of(2))
                    .memory(MemoryConfig.ofSize(1L << 30)) // bytes
                    .addDisk(DiskConfig.builder().path(disk).numQueues(2).build())
                    .vsock(VsockConfig.of(3, vmm.runtimeDir().resolve("vsock.sock")))
                    .serial(vmm.serialConfig()) // guest ttyS0 into a file vmm owns
                    .build());
            api.boot();
            VmInfo info = api.info();
            api.shutdown();
            return info.state() + " " + events.size();
        } // close(): vmm.shutdown, then SIGTERM/SIGKILL
        // end snippet
    }

    /**
     * Model records: builders and changed copies.
     *
     * @return a read-only copy of a disk
     */
    public static DiskConfig builders() {
        // snippet: builders
        DiskConfig root = DiskConfig.builder()
                .path(Path.of("images/root.qcow2")) // Path overloads make the path absolute
                .numQueues(4)
                .serial("vg-root")
                .build();
        DiskConfig readOnly = root.newBuilder().readonly(true).build(); // records are immutable: copy to change
        // end snippet
        return readOnly;
    }

    /**
     * Binds a GPU to vfio-pci, adds it to a VM config, and gives it back.
     *
     * @param gpu the GPU's PCI address
     * @param kernel the guest kernel
     * @return the config that would be sent to CH
     */
    public static VmConfig passAGpu(String gpu, Path kernel) {
        // snippet: vfio
        PciAddress address = PciAddress.parse(gpu); // validated: "0000:01:00.0", never a path
        try (VfioBinding binding = VfioBinder.builder().build().bind(address)) { // whole IOMMU group, journaled
            VmConfig.Builder config = VmConfig.builder().payload(PayloadConfig.ofKernel(kernel, null));
            binding.devices().forEach(config::addDevice); // the GPU and its companions, e.g. its HDMI audio
            // ... create and boot the VM with config.build(), run it ...
            return config.build();
        } // close(): original drivers back
        // end snippet
    }

    /**
     * Talks to a guest port over CH's hybrid vsock.
     *
     * @param vsockSocket the VM's {@code vsock.socket}
     * @return the first bytes the guest sent
     * @throws IOException if the connection fails
     */
    public static String vsock(Path vsockSocket) throws IOException {
        // snippet: vsock
        HybridVsockDialer dialer = HybridVsockDialer.builder()
                .socket(vsockSocket) // VsockConfig.socket of the VM
                .deadline(Duration.ofSeconds(30)) // the guest may still be booting: retry until it listens
                .build();
        try (VsockConnection c = dialer.dial(1234)) { // "CONNECT 1234\n", "OK <port>\n", then raw bytes
            c.outputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            return new String(c.inputStream().readNBytes(5), StandardCharsets.UTF_8);
        }
        // end snippet
    }

    /**
     * Runs a ChClient against the in-process fake of CH.
     *
     * @param dir a private directory for the fake's socket
     * @return the fake VM's state
     */
    public static String fake(Path dir) {
        // snippet: testkit
        try (FakeCloudHypervisor fake = FakeCloudHypervisor.builder()
                        .socket(dir.resolve("api.sock"))
                        .start();
                ChClient api = ChClient.builder().socket(fake.socket()).build()) {
            api.create(VmConfig.builder()
                    .payload(PayloadConfig.ofKernel("/boot/vmlinux", null))
                    .build());
            api.boot();
            return api.info().state() + " after " + fake.requestCount("vm.boot") + " boot";
        }
        // end snippet
    }

    // snippet: host-check
    /** A host check of your own, run by {@code virtualghost doctor} next to the built-in ones. */
    public static final class HugePagesCheck implements HostCheckProvider {
        @Override
        public List<HostCheck> checks(HostCheckContext context) {
            return List.of(HostCheck.of("huge pages", () -> CheckResult.ok("huge pages", "none needed")));
        }
    }
    // end snippet
}
