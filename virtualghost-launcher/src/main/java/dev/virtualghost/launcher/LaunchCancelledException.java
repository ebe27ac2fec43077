package dev.virtualghost.launcher;

import dev.virtualghost.api.VirtualGhostException;

/** A launch was cancelled (a signal, {@link Session#close()} from another thread) or ran past its deadline. */
public final class LaunchCancelledException extends VirtualGhostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with the reason.
     *
     * @param reason why the launch was cancelled, e.g. {@code "interrupted (SIGINT)"}
     */
    public LaunchCancelledException(String reason) {
        super(reason);
    }
}
