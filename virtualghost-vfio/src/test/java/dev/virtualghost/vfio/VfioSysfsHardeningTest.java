package dev.virtualghost.vfio;

import static dev.virtualghost.vfio.Rigs.GPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A crafted or broken sysfs tree (what {@code --sys} may name) against the binder and the bus: reads are bounded and
 * take only regular files, writes stay inside the tree, names from the tree or a journal are checked like the
 * kernel checks them. Each case stands for a real hostile tree: FIFOs, links to devices, huge files, links out.
 */
class VfioSysfsHardeningTest extends BinderRig {

    private Path gpuDir() throws IOException {
        return fs.root().resolve("bus/pci/devices").resolve(GPU).toRealPath();
    }

    @Test
    void fifoAttributeIsRefusedInsteadOfHanging() throws Exception {
        Path attr = gpuDir().resolve("numa_node");
        Files.delete(attr);
        Process mkfifo = new ProcessBuilder("mkfifo", attr.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();

        long start = System.nanoTime();
        assertThatThrownBy(bus::devices)
                .isInstanceOf(VfioHostException.class)
                .hasMessageContaining("numa_node")
                .hasMessageContaining("not a regular file");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void attributeLinkedToDevZeroIsRefused() throws Exception {
        Path attr = gpuDir().resolve("reset_method");
        Files.delete(attr);
        Files.createSymbolicLink(attr, Path.of("/dev/zero"));
        assertThatThrownBy(bus::gpus)
                .isInstanceOf(VfioHostException.class)
                .hasMessageContaining("reset_method")
                .hasMessageContaining("not a regular file");
    }

    @Test
    void attributeLargerThanAPageIsRefused() throws Exception {
        Files.write(gpuDir().resolve("reset_method"), new byte[8 << 20]);
        assertThatThrownBy(bus::gpus)
                .isInstanceOf(VfioHostException.class)
                .hasMessageContaining("reset_method is larger than a page (4096 bytes)");
    }

    @Test
    void journalDriverNamedDotDotIsRefusedBeforeAnyWrite() throws Exception {
        Path evil = journals.resolve("vfio-binding-dotdot.properties");
        Files.writeString(evil, "group=12\ncount=1\ndevice.0.address=" + GPU + "\ndevice.0.driver=..\n");
        assertThatThrownBy(() -> binder().build().restoreFromJournal(evil))
                .isInstanceOf(VfioHostException.class)
                .hasMessageContaining("invalid driver name '..'");
        assertThat(fs.log()).isEmpty();
        assertThat(evil).exists();
    }

    @Test
    void symlinkedAttributeIsNotWrittenThrough() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "precious\n");
        Path attr = gpuDir().resolve("driver_override");
        Files.delete(attr);
        Files.createSymbolicLink(attr, outside);

        // Refused already when read (an attribute is a regular file); the write side refuses links too (below).
        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse(GPU)))
                .isInstanceOf(VfioHostException.class)
                .hasMessageContaining("driver_override is not a regular file");
        assertThat(outside).hasContent("precious");
        assertThat(fs.log()).isEmpty();
    }

    @Test
    void driverDirectoryLinkedOutOfTheTreeIsNotWrittenTo() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path unbind = Files.writeString(elsewhere.resolve("unbind"), "untouched");
        Path nvidia = fs.root().resolve("bus/pci/drivers/nvidia");
        try (var walk = Files.walk(nvidia)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
        Files.createSymbolicLink(nvidia, elsewhere);

        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse(GPU)))
                .isInstanceOf(VfioBindException.class)
                .hasMessageContaining("outside the sysfs root");
        assertThat(unbind).hasContent("untouched");
        assertThat(fs.log()).noneMatch(w -> w.contains("drivers/nvidia/unbind"));
    }

    @Test
    void directWriterRefusesASymbolicLink() throws Exception {
        Path target = Files.writeString(tmp.resolve("target"), "keep");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        assertThatThrownBy(() -> SysfsWriter.direct().write(link, "x")).isInstanceOf(IOException.class);
        assertThat(target).hasContent("keep");
        Path plain = Files.writeString(tmp.resolve("plain"), "");
        SysfsWriter.direct().write(plain, "1");
        assertThat(plain).hasContent("1");
    }
}
