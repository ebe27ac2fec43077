package dev.virtualghost.vsock.ssh;

import dev.virtualghost.vsock.ssh.internal.Ed25519Keys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

/**
 * A per-session ed25519 client key, written 0600 as {@code id_ed25519} in a fresh private 0700 directory.
 *
 * <p>Put {@link #publicKeyLine()} into the guest's {@code authorized_keys} and pass this key to
 * {@link GuestSsh.Builder#identity(EphemeralKey)}. Immutable and thread-safe; the caller closes it, which
 * deletes the key file and its directory.
 */
public final class EphemeralKey implements AutoCloseable {

    private final Path dir;
    private final Path privateKey;
    private final String publicKeyLine;

    private EphemeralKey(Path dir, Path privateKey, String publicKeyLine) {
        this.dir = dir;
        this.privateKey = privateKey;
        this.publicKeyLine = publicKeyLine;
    }

    /**
     * Generates a new ed25519 key in a new private directory under the system temp directory.
     *
     * @return the key, which the caller owns and must {@link #close()} to delete it
     * @throws UncheckedIOException if the private directory or key file cannot be written
     * @throws IllegalStateException if this JDK cannot generate Ed25519 keys
     */
    public static EphemeralKey generate() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory(
                    "vg-ssh-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Ed25519Keys.Encoded k = Ed25519Keys.generate("virtualghost-ephemeral");
            Path file = dir.resolve("id_ed25519");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, k.privateKeyPem(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            return new EphemeralKey(dir, file, k.publicKeyLine());
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("ssh: write ephemeral client key under " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            deleteQuietly(dir);
            throw new IllegalStateException("ssh: this JDK cannot generate Ed25519 keys (needs JDK 15+)", e);
        }
    }

    /**
     * Returns the public key as one {@code authorized_keys} line.
     *
     * @return {@code ssh-ed25519 AAAA... virtualghost-ephemeral}, without a trailing newline
     */
    public String publicKeyLine() {
        return publicKeyLine;
    }

    /**
     * Returns the private key file.
     *
     * @return {@code id_ed25519} (OpenSSH format, mode 0600) in {@link #directory()}; gone after {@link #close()}
     */
    public Path privateKeyPath() {
        return privateKey;
    }

    /**
     * Returns the private directory holding the key.
     *
     * @return the 0700 directory created by {@link #generate()}; gone after {@link #close()}
     */
    public Path directory() {
        return dir;
    }

    /** Deletes the key and its directory; idempotent. */
    @Override
    public void close() {
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve("id_ed25519"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(EphemeralKey.class)
                    .warn("ssh: could not delete {}: {}", dir, e.toString());
        }
    }
}
