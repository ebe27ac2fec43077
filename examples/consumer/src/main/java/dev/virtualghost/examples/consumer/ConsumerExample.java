package dev.virtualghost.examples.consumer;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChEvent;
import dev.virtualghost.ch.ChException;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.model.CpusConfig;
import dev.virtualghost.ch.model.DiskConfig;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.model.VsockConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts a VMM, creates a VM with a kernel, a disk, vsock and a VFIO device, reads {@code vm.info} and the events,
 * and shuts down: what an outside user writes against the published artifacts.
 */
public final class ConsumerExample {
    private static final String USAGE = "usage: ConsumerExample <cloud-hypervisor> <kernel> [disk-image [gpu-pci-address]]";

    private ConsumerExample() {
    }

    /**
     * Runs the example.
     *
     * @param args see {@link #USAGE}; {@code --help}; or {@code --check-pins <okhttp> <okio>}
     */
    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println(USAGE);
            return;
        }
        if (args[0].equals("--check-pins")) {
            checkPins(args[1], args[2]);
            return;
        }
        List<ChEvent> events = new CopyOnWriteArrayList<>();
        try (ChProcess vmm = ChProcess.builder().binary(Path.of(args[0])).eventListener(events::add).start()) {
            vmm.awaitApi(Duration.ofSeconds(10));
            ChClient api = vmm.client();
            VmConfig.Builder config = VmConfig.builder()
                    .payload(PayloadConfig.ofKernel(Path.of(args[1]), "console=ttyS0"))
                    .cpus(CpusConfig.of(1))
                    .memory(MemoryConfig.ofSize(256L << 20))
                    .serial(vmm.serialConfig())
                    .vsock(VsockConfig.of(3, vmm.runtimeDir().resolve("vsock.sock")));
            if (args.length > 2) {
                config.addDisk(DiskConfig.builder().path(Path.of(args[2])).readonly(true).build());
            }
            if (args.length > 3) {
                config.addDevice(PciAddress.parse(args[3])); // must be bound to vfio-pci first
            }
            api.create(config.build());
            api.boot();
            VmInfo info = api.info();
            System.out.println("VM " + info.state() + ", " + info.memoryActualSize() + " bytes of RAM");
            api.shutdown();
        } catch (ChException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
        events.forEach(e -> System.out.println("event " + e.source() + " " + e.event()));
    }

    /** Fails unless the OkHttp and Okio on the class path are the versions the BOM pins. */
    private static void checkPins(String okhttp, String okio) {
        String okioJar = String.valueOf(okio.Buffer.class.getResource("Buffer.class")); // jar:file:...okio-jvm-V.jar!/...
        if (!okhttp3.OkHttp.VERSION.equals(okhttp) || !okioJar.contains("-" + okio + ".jar!")) {
            System.err.println("error: resolved OkHttp " + okhttp3.OkHttp.VERSION + " and " + okioJar
                    + "; the BOM pins OkHttp " + okhttp + " and Okio " + okio);
            System.exit(1);
        }
        System.out.println("OkHttp " + okhttp + " and Okio " + okio + ", as pinned by the BOM");
    }
}
