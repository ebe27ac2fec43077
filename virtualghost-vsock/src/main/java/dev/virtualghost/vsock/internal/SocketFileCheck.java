package dev.virtualghost.vsock.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Stats a hybrid vsock socket path before a dial: missing means "not there yet" (retry); anything else that is not a
 * socket, or a path we may not look at, will not get better by waiting. Stateless.
 */
public final class SocketFileCheck {
    /** File type bits of st_mode and the socket type, from sys/stat.h. */
    private static final int S_IFMT = 0170000;

    private static final int S_IFSOCK = 0140000;

    private SocketFileCheck() {}

    /**
     * Checks {@code socket}.
     *
     * @throws NotListeningYet when it does not exist (yet)
     * @throws IOException     when it is not a socket, or a component is not a directory, or it may not be read
     */
    public static void check(Path socket) throws IOException {
        Object mode;
        try {
            mode = Files.getAttribute(socket, "unix:mode");
        } catch (NoSuchFileException e) {
            // Newer JDKs report ENOTDIR (a file where a directory should be) as NoSuchFileException too: waiting
            // cannot fix that, only a missing socket file (CH not started yet) can appear.
            Path blocking = ancestorThatIsNotADirectory(socket);
            if (blocking != null) {
                throw new IOException("Not a directory: " + blocking + " is a file; check the socket path", e);
            }
            throw new NotListeningYet("socket file not there yet", e);
        } catch (AccessDeniedException e) {
            throw new IOException("permission denied on " + socket + "; run as a user that may use CH's socket", e);
        } catch (FileSystemException e) {
            throw new IOException(
                    (e.getReason() != null ? e.getReason() : e.toString()) + "; check the socket path", e);
        }
        if (mode instanceof Integer m && (m & S_IFMT) != S_IFSOCK) {
            // Connecting to a regular file or a directory gives ECONNREFUSED, which would be retried forever.
            throw new IOException(socket + " exists but is not a socket; is the path right?");
        }
    }

    /** The nearest existing ancestor of {@code path} if it is not a directory, else null. */
    private static Path ancestorThatIsNotADirectory(Path path) {
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }
}
