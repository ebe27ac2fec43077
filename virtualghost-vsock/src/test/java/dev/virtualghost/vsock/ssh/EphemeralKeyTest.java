package dev.virtualghost.vsock.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EphemeralKeyTest {

    @Test
    void keyIsWritten0600InA0700DirectoryAndGoneAfterClose() throws Exception {
        Path dir;
        Path file;
        try (EphemeralKey key = EphemeralKey.generate()) {
            dir = key.directory();
            file = key.privateKeyPath();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(file)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
            assertThat(key.publicKeyLine()).startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI");
        }
        assertThat(file).doesNotExist();
        assertThat(dir).doesNotExist();
    }

    @Test
    void openSshReadsThePrivateKeyWeWroteAndDerivesTheSamePublicKey() throws Exception {
        Path keygen = Path.of("/usr/bin/ssh-keygen");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(keygen),
                "ssh-keygen not installed (openssh-client): cannot cross-check the key format");
        try (EphemeralKey key = EphemeralKey.generate()) {
            Process p = new ProcessBuilder(
                            keygen.toString(), "-y", "-f", key.privateKeyPath().toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            String[] ours = key.publicKeyLine().split(" ");
            assertThat(out).startsWith(ours[0] + " " + ours[1]);
        }
    }
}
