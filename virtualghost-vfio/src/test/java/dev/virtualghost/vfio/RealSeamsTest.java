package dev.virtualghost.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.jna.LastErrorException;
import dev.virtualghost.vfio.internal.Ioctls;
import dev.virtualghost.vfio.internal.LibC;
import dev.virtualghost.vfio.internal.SysfsErrors;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real seams below the fakes: the direct sysfs writer, how the JDK reports a failed write(2) and how that maps
 * to hints, and JNA errno -> strerror. These are what a real host exercises when the fake kernel is gone.
 */
class RealSeamsTest {
    @TempDir
    Path tmp;

    @Test
    void directWriterWritesExactlyTheValueIntoAnExistingAttribute() throws Exception {
        Path attr = Files.writeString(tmp.resolve("driver_override"), "(null)\n");
        SysfsWriter.direct().write(attr, "vfio-pci");
        // Sysfs attributes exist already; the writer must not create or append (WRITE only, no CREATE).
        assertThat(Files.readString(attr)).startsWith("vfio-pci");
        IOException missing = catchThrowableOfType(
                IOException.class, () -> SysfsWriter.direct().write(tmp.resolve("absent/unbind"), "0000:01:00.0"));
        assertThat(missing).isInstanceOf(NoSuchFileException.class);
        assertThat(SysfsErrors.reason(missing)).isEqualTo("No such file or directory");
        assertThat(tmp.resolve("absent")).doesNotExist();
    }

    @Test
    void kernelErrnoTextsMapToSpecificHints() {
        // The JDK raises a plain IOException whose message is strerror(errno) when write(2) on an open sysfs file
        // fails (EBUSY from unbind/bind, ENODEV from a stale device); open(2) failures become typed exceptions.
        assertThat(SysfsErrors.reason(new IOException("Device or resource busy")))
                .isEqualTo("Device or resource busy");
        assertThat(SysfsErrors.hint("Device or resource busy")).contains("host display");
        assertThat(SysfsErrors.hint("No such device")).contains("lspci -D -k");
        assertThat(SysfsErrors.hint("Operation not permitted")).contains("run as root");
        assertThat(SysfsErrors.reason(new AccessDeniedException("/sys/bus/pci/drivers_probe")))
                .isEqualTo("Permission denied");
        assertThat(SysfsErrors.hint("Permission denied")).contains("run as root");
        assertThat(SysfsErrors.hint("Input/output error")).isEqualTo(" (check dmesg)");
        // Non-root gets EACCES at open(2) (AccessDeniedException); a write(2) refused for lack of capability, EPERM.
        assertThat(SysfsErrors.isPermission(new AccessDeniedException("/sys/bus/pci/drivers/nvidia/unbind")))
                .isTrue();
        assertThat(SysfsErrors.isPermission(
                        new FileSystemException("/sys/bus/pci/drivers_probe", null, "Operation not permitted")))
                .isTrue();
        assertThat(SysfsErrors.isPermission(new IOException("Device or resource busy")))
                .isFalse();
    }

    @Test
    void jnaErrnoBecomesStrerrorText() {
        LastErrorException e = catchThrowableOfType(
                LastErrorException.class,
                () -> Ioctls.query(
                        tmp.resolve("no-such-device").toString(), new long[][] {{Ioctls.KVM_GET_API_VERSION, 0}}));
        assertThat(e.getErrorCode()).isEqualTo(2);
        assertThat(LibC.describe(e)).isEqualTo("No such file or directory (errno 2)");
    }

    @Test
    void ioctlOnANonDeviceReportsNotATypewriter() throws Exception {
        // A regular file answers any ioctl with ENOTTY: the request numbers reach the kernel and errno comes back.
        Path plain = Files.writeString(tmp.resolve("plain"), "x");
        LastErrorException e = catchThrowableOfType(
                LastErrorException.class,
                () -> Ioctls.query(plain.toString(), new long[][] {{Ioctls.VFIO_GET_API_VERSION, 0}}));
        assertThat(e.getErrorCode()).isEqualTo(25);
        assertThat(LibC.describe(e)).contains("errno 25");
    }
}
