package dev.virtualghost.guest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.ssh.EphemeralKey;
import dev.virtualghost.vsock.ssh.ExecResult;
import dev.virtualghost.vsock.ssh.GuestSsh;
import dev.virtualghost.vsock.ssh.GuestSshException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux test guest (guest/test-guest) booted under QEMU TCG answers an SSH command through {@link GuestSsh},
 * with the client key handed in on the kernel command line and the host key pinned from the serial console
 * (contract 5). QEMU offers no vsock here, so the guest's sshd is reached through QEMU's TCP forward behind
 * {@link HybridVsockRelay}, which plays CH's hybrid vsock muxer: the dialer, the SSH client and the guest are real.
 * Skips with the reason when qemu-system-x86_64 or the Debian packages are missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QemuTestGuestIT {
    private static final Logger LOG = LoggerFactory.getLogger(QemuTestGuestIT.class);
    private static final Pattern HOSTKEY =
            Pattern.compile("(?m)VIRTUALGHOST-HOSTKEY (ssh-ed25519) ([A-Za-z0-9+/=]+)\\s*$");
    private static final Pattern READY = Pattern.compile("(?m)VIRTUALGHOST-READY\\s*$");
    private static final Pattern FAILED = Pattern.compile("(?m)VIRTUALGHOST-FAILED .*$");

    private Path dir;
    private TestGuestImage image;
    private EphemeralKey clientKey;
    private QemuGuest qemu;
    private HybridVsockRelay relay;
    private String hostKeyLine;
    private Duration bootToReady;

    @BeforeAll
    void bootGuest() throws Exception {
        Path qemuBinary = HostCheck.onPath("qemu-system-x86_64").orElse(null);
        if (qemuBinary == null) {
            HostCheck.missing(
                    "qemu-system-x86_64 not found (apt-get install qemu-system-x86): cannot boot the test guest");
        }
        image = TestGuestImage.buildOrSkip();
        dir = Files.createTempDirectory(
                "vg-guest-it", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        clientKey = EphemeralKey.generate();
        String[] pub = clientKey.publicKeyLine().split(" ");
        String append = "console=ttyS0 quiet panic=-1 virtualghost.authorized_key=" + pub[0] + ":" + pub[1];
        long t0 = System.nanoTime();
        qemu = QemuGuest.start(qemuBinary, image.kernel(), image.initramfs(), append, dir);
        Matcher ready = qemu.awaitSerial(READY, Duration.ofSeconds(120))
                .orElseThrow(
                        () -> new AssertionError("the test guest printed no VIRTUALGHOST-READY within 120 s; serial:\n"
                                + serial() + "\nqemu:\n" + qemuOut()));
        bootToReady = Duration.ofNanos(System.nanoTime() - t0);
        Matcher key = HOSTKEY.matcher(qemu.serialText());
        assertThat(key.find())
                .as("a VIRTUALGHOST-HOSTKEY ssh-ed25519 line; serial:\n%s", serial())
                .isTrue();
        assertThat(key.start()).as("host key announced before READY").isLessThan(ready.start());
        hostKeyLine = key.group(1) + " " + key.group(2);
        relay = new HybridVsockRelay(
                dir.resolve("vsock.sock"), Map.of(22, new InetSocketAddress("127.0.0.1", qemu.sshPort())));
        LOG.info(
                "test guest (kernel {}): build/cache check {} ms, QEMU start to VIRTUALGHOST-READY {} ms",
                image.kernelRelease(),
                image.buildTime().toMillis(),
                bootToReady.toMillis());
    }

    private HybridVsockDialer dialer() {
        return HybridVsockDialer.builder()
                .socket(relay.socket())
                .deadline(Duration.ofSeconds(20))
                .build();
    }

    @Test
    void answersAnSshCommandWithThePinnedHostKey() {
        long t0 = System.nanoTime();
        try (GuestSsh ssh = GuestSsh.builder()
                .dialer(dialer())
                .user("root")
                .hostKey(hostKeyLine)
                .identity(clientKey)
                .connectTimeout(Duration.ofSeconds(30))
                .connect()) {
            ExecResult r = ssh.exec("uname -r; echo \"vg-$((6 * 7))\"; echo oops >&2; exit 3", Duration.ofSeconds(30));
            long first = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.exitStatus()).isEqualTo(3);
            assertThat(r.stdoutText()).isEqualTo(image.kernelRelease() + "\nvg-42\n");
            assertThat(r.stderrText()).isEqualTo("oops\n");
            long t1 = System.nanoTime();
            ExecResult again = ssh.exec(
                    "cat /root/.ssh/authorized_keys; stat -c %a /root/.ssh/authorized_keys", Duration.ofSeconds(30));
            assertThat(again.stdoutText())
                    .startsWith(clientKey.publicKeyLine().split(" ")[0] + " "
                            + clientKey.publicKeyLine().split(" ")[1])
                    .endsWith("\n600\n");
            LOG.info(
                    "first SSH command (connect + exec) {} ms, second exec {} ms",
                    first,
                    (System.nanoTime() - t1) / 1_000_000);
        }
    }

    @Test
    void refusesAGuestWhoseHostKeyIsNotThePinnedOne() {
        String wrong;
        try (EphemeralKey other = EphemeralKey.generate()) {
            String[] p = other.publicKeyLine().split(" ");
            wrong = p[0] + " " + p[1];
        }
        assertThatThrownBy(() -> GuestSsh.builder()
                        .dialer(dialer())
                        .hostKey(wrong)
                        .identity(clientKey)
                        .connectTimeout(Duration.ofSeconds(30))
                        .connect()
                        .close())
                .isInstanceOfSatisfying(
                        GuestSshException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestSshException.Kind.HOST_KEY_MISMATCH))
                .hasMessageContaining("refusing to connect");
    }

    @Test
    void serialConsoleCarriesTheHandOffAndNoFailure() throws IOException {
        String serial = qemu.serialText();
        assertThat(FAILED.matcher(serial).find()).as(serial).isFalse();
        assertThat(serial)
                .contains("virtualghost: sshd on vsock port 22")
                .contains("virtualghost: sshd on TCP port 22");
        assertThat(HOSTKEY.matcher(serial).results().count())
                .as("one host key, made at boot")
                .isEqualTo(1);
    }

    @AfterAll
    void shutDown() throws Exception {
        try {
            if (relay != null) {
                relay.close();
                assertThat(relay.liveThreads()).isZero();
                assertThat(relay.socket()).doesNotExist();
            }
            if (qemu != null) {
                ProcessHandle handle = qemu.process().toHandle();
                qemu.close();
                assertThat(handle.isAlive()).as("QEMU killed").isFalse();
            }
        } finally {
            if (clientKey != null) {
                clientKey.close();
            }
            if (dir != null) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                assertThat(dir).doesNotExist();
            }
        }
    }

    private String serial() {
        try {
            return qemu.serialText();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private String qemuOut() {
        try {
            return qemu.qemuOutput();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
