package dev.virtualghost.vsock.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.ConnectionRefusedSocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening Unix socket whose file only its owner can connect to (0600), with no moment at which anyone else
 * could.
 *
 * <p>junixsocket creates socket files world-writable (0666) and its bind also listens, so a chmod after bind
 * leaves a window in which any local user could connect. Instead the socket is bound inside a private (0700)
 * directory {@code .<name>.d} next to it, made 0600 there, and only then hard-linked to its public name; both
 * names stay until {@link #close()} (junixsocket treats a listener whose bound path vanished as closed). The
 * private path is 5 bytes longer, so it must fit sun_path (107 bytes).
 *
 * <p>Not thread-safe; {@link #close()} is idempotent and removes both names.
 */
public final class OwnerOnlySocketFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlySocketFile.class);
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path path;
    private final Path privateDir;
    private final AFUNIXServerSocket server;
    private boolean closed;

    private OwnerOnlySocketFile(Path path, Path privateDir, AFUNIXServerSocket server) {
        this.path = path;
        this.privateDir = privateDir;
        this.server = server;
    }

    /**
     * Binds and listens on {@code path}.
     *
     * <p>A socket file already at {@code path} is probed first: if a connect to it is refused, nobody listens (its
     * listener was killed before it could remove it), so it is replaced; if someone answers, or the file is not a
     * socket, or belongs to another user, it is left alone and the bind fails. Limit: two processes replacing the same
     * stale file at the same moment can race; the hard link below still lets only one of them own the name.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code path} is taken by a live listener, is not a socket, or
     *     is another user's (junixsocket's bind would unlink it and silently steal another listener's socket)
     * @throws IOException if binding fails; nothing is left behind then
     */
    public static OwnerOnlySocketFile bind(Path path, int backlog) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            removeIfStale(path);
        }
        Path privateDir = path.resolveSibling("." + path.getFileName() + ".d");
        Path bound = privateDir.resolve("s");
        AFUNIXServerSocket server = null;
        try {
            // Left by a listener killed before close(): its public name is gone (checked above), so it is unused.
            deletePrivate(bound, privateDir);
            Files.createDirectory(privateDir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            server = AFUNIXServerSocket.newInstance();
            server.bind(AFUNIXSocketAddress.of(bound), backlog);
            Files.setPosixFilePermissions(bound, OWNER_RW);
            // Atomic: fails with FileAlreadyExistsException if another listener took the name since the check.
            Files.createLink(path, bound);
            return new OwnerOnlySocketFile(path, privateDir, server);
        } catch (IOException | RuntimeException e) {
            Splice.closeQuietly(server);
            try {
                deletePrivate(bound, privateDir);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void removeIfStale(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isOther()) {
            throw new FileAlreadyExistsException(
                    path.toString(),
                    null,
                    "exists and is not a socket; remove it if it is yours, or choose another path");
        }
        String owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new FileAlreadyExistsException(
                    path.toString(), null, "is a socket of user " + owner + ", not ours; choose another path");
        }
        try (AFUNIXSocket probe = AFUNIXSocket.newInstance()) {
            probe.connect(AFUNIXSocketAddress.of(path), 1000);
        } catch (ConnectException | ConnectionRefusedSocketException refused) {
            // ECONNREFUSED on a socket file: nobody listens on it any more.
            LOG.info("replacing stale socket file {}: nobody listens on it (left by a killed process?)", path);
            Files.deleteIfExists(path);
            return;
        } catch (IOException other) {
            throw new FileAlreadyExistsException(
                    path.toString(),
                    null,
                    "exists and cannot be probed (" + other + "); remove it if no listener of yours is there");
        }
        throw new FileAlreadyExistsException(
                path.toString(),
                null,
                "another listener is accepting on it; close" + " that one first or choose another path");
    }

    /** The listening socket. */
    public AFUNIXServerSocket server() {
        return server;
    }

    /** The public socket file. */
    public Path path() {
        return path;
    }

    /**
     * Closes the socket and removes the public name and the private directory.
     *
     * @throws IOException if a file cannot be removed (the socket is closed regardless)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        Splice.closeQuietly(server);
        Files.deleteIfExists(path);
        deletePrivate(privateDir.resolve("s"), privateDir);
    }

    private static void deletePrivate(Path bound, Path privateDir) throws IOException {
        Files.deleteIfExists(bound);
        Files.deleteIfExists(privateDir);
    }
}
