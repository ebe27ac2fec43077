package dev.virtualghost.launcher;

import dev.virtualghost.api.VirtualGhostException;

/**
 * A launch step failed. The message names the step and the cause's message; the cause is the step's own
 * throwable, and each undo that failed while unwinding is attached as suppressed.
 */
public final class FlowException extends VirtualGhostException {
    private static final long serialVersionUID = 1L;
    /** The name of the step that failed. */
    private final String step;

    FlowException(String step, Throwable cause) {
        super(step + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        this.step = step;
    }

    /**
     * Returns the name of the step that failed.
     *
     * @return the step's name, as in {@link Step#name()}
     */
    public String step() {
        return step;
    }
}
