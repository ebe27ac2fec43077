package dev.virtualghost.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VsockConfig;
import dev.virtualghost.ch.testkit.FakeCloudHypervisor;
import dev.virtualghost.vsock.ssh.EphemeralKey;
import dev.virtualghost.vsock.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GuestSshExample} as a user runs it (a child JVM), dialing the hybrid vsock socket of a VM on the fake CH
 * whose guest vsock port 22 leads to a real OpenSSH sshd on loopback (vsock's {@link Sshd} fixture): the guest's
 * sshd behind CH's muxer, minus the VM. Needs sshd and ssh-keygen; skipped with the reason otherwise.
 */
class GuestSshExampleIT {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsSshd() {
        if (!Sshd.available()) {
            String reason = Sshd.SSHD + " missing: apt-get install openssh-server openssh-client";
            if (Boolean.getBoolean("virtualghost.it.strict")) {
                throw new AssertionError(reason);
            }
            Assumptions.abort(reason);
        }
    }

    @Test
    void runsTheCommandOverVsockWithThePinnedHostKey() throws Exception {
        try (Sshd sshd = Sshd.start();
                EphemeralKey key = EphemeralKey.generate()) {
            sshd.authorize(key.publicKeyLine());
            Path vsock = tmp.resolve("vsock.sock");
            try (FakeCloudHypervisor ch = bootVm(sshd, vsock)) {
                JavaMain r = JavaMain.run(
                        tmp,
                        Map.of(),
                        Duration.ofSeconds(90),
                        GuestSshExample.class,
                        vsock.toString(),
                        sshd.writeKnownHosts("guest").toString(),
                        key.privateKeyPath().toString(),
                        sshd.user(),
                        "echo hello over vsock; echo to stderr >&2; exit 5");

                assertThat(r.exitCode()).as(r.stderr() + sshd.log()).isEqualTo(5);
                assertThat(r.stdout()).isEqualTo("hello over vsock\n");
                assertThat(r.stderr()).contains("to stderr");
            }
        }
    }

    @Test
    void aHostKeyThatDoesNotMatchIsRefusedInOneLine() throws Exception {
        try (Sshd sshd = Sshd.start();
                EphemeralKey key = EphemeralKey.generate();
                EphemeralKey impostor = EphemeralKey.generate()) {
            sshd.authorize(key.publicKeyLine());
            Path vsock = tmp.resolve("vsock.sock");
            String[] other = impostor.publicKeyLine().split(" ");
            Path knownHosts =
                    Files.writeString(tmp.resolve("known_hosts"), "guest " + other[0] + " " + other[1] + "\n");
            try (FakeCloudHypervisor ch = bootVm(sshd, vsock)) {
                JavaMain r = JavaMain.run(
                        tmp,
                        Map.of(),
                        Duration.ofSeconds(90),
                        GuestSshExample.class,
                        vsock.toString(),
                        knownHosts.toString(),
                        key.privateKeyPath().toString(),
                        sshd.user(),
                        "true");

                assertThat(r.exitCode()).isEqualTo(255);
                assertThat(r.stderr().lines().filter(l -> l.startsWith("error: ")))
                        .singleElement()
                        .asString()
                        .containsIgnoringCase("host key");
                assertThat(r.stdout()).isEmpty();
            }
        }
    }

    @Test
    void anUnreadableKeyIsOneErrorLine() throws Exception {
        JavaMain r = JavaMain.run(
                tmp,
                Map.of(),
                Duration.ofSeconds(60),
                GuestSshExample.class,
                tmp.resolve("vsock.sock").toString(),
                tmp.resolve("known_hosts").toString(),
                tmp.resolve("id_ed25519").toString(),
                "root",
                "true");
        assertThat(r.exitCode()).isEqualTo(255);
        assertThat(r.stderr()).isEqualTo("error: cannot read " + tmp.resolve("known_hosts") + "\n");
    }

    /** A VM on the fake CH whose guest has a vsock driver and sshd on vsock port 22, its vsock socket at {@code vsock}. */
    private FakeCloudHypervisor bootVm(Sshd sshd, Path vsock) {
        FakeCloudHypervisor ch = FakeCloudHypervisor.builder()
                .socket(tmp.resolve("api.sock"))
                .guestVsockPort(22, sshd.address())
                .start();
        try (ChClient api = ChClient.builder().socket(ch.socket()).build()) {
            // A kernel that is not a test guest stands for a Linux guest, vsock driver included.
            api.create(VmConfig.builder()
                    .payload(PayloadConfig.ofKernel("/boot/vmlinux", null))
                    .vsock(VsockConfig.of(3, vsock))
                    .build());
            api.boot();
            return ch;
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
