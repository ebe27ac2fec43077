package dev.virtualghost.ch;

import dev.virtualghost.api.VirtualGhostException;

/**
 * The root of every failure of a call to the Cloud Hypervisor API: CH said no ({@link ChApiException}), CH
 * could not be reached ({@link ChConnectionException}), CH did not answer in time ({@link ChTimeoutException}),
 * or CH answered something this client cannot read ({@link ChProtocolException}).
 *
 * <p>Immutable and thread-safe.
 */
public abstract sealed class ChException extends VirtualGhostException
        permits ChApiException, ChConnectionException, ChProtocolException, ChTimeoutException {
    private static final long serialVersionUID = 1L;

    ChException(String message) {
        super(message);
    }

    ChException(String message, Throwable cause) {
        super(message, cause);
    }
}
