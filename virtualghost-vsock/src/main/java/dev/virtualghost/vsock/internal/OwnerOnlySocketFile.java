package dev.virtualghost.vsock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

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
   * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists (junixsocket's bind would unlink it
   *     and silently steal another listener's socket)
   * @throws IOException if binding fails; nothing is left behind then
   */
  public static OwnerOnlySocketFile bind(Path path, int backlog) throws IOException {
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new java.nio.file.FileAlreadyExistsException(path.toString(), null,
          "is another listener there, or a stale file to remove?");
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
