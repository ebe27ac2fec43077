package dev.virtualghost.ch.internal;

import java.net.ProtocolException;

/**
 * How much of an answer this client reads and shows, the same on both transports. CH's answers are small (a
 * {@code vm.info} echoing a large config is a few hundred KiB at most; an error chain with a Rust backtrace a few
 * KiB) and CH itself refuses requests over 4 MiB, so the caps leave room for any real answer while a broken or
 * foreign peer sending gigabytes, or an endless body, cannot make the client allocate them. Stateless.
 */
public final class BodyLimits {

    /** The largest body of a successful (2xx) answer. */
    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /** The largest body of an error answer (CH's error chain). */
    public static final int MAX_ERROR_BODY_BYTES = 1024 * 1024;

    /** The most characters of an answer that go into an exception message. */
    public static final int MAX_MESSAGE_CHARS = 8 * 1024;

    private BodyLimits() {}

    /** The cap for a body of an answer with {@code status}. */
    public static int maxBody(int status) {
        return status >= 200 && status < 300 ? MAX_BODY_BYTES : MAX_ERROR_BODY_BYTES;
    }

    /** The error for a body over its cap; {@code announced} is its Content-Length, or -1 when it has none. */
    public static ProtocolException tooLarge(int status, long announced) {
        return new ProtocolException("answer " + status + " has a body "
                + (announced >= 0 ? "of " + announced + " bytes, " : "") + "larger than the " + maxBody(status)
                + "-byte limit for CH answers");
    }

    /** {@code text} cut to {@link #MAX_MESSAGE_CHARS}, saying how much was left out. */
    public static String forMessage(String text) {
        if (text.length() <= MAX_MESSAGE_CHARS) {
            return text;
        }
        return text.substring(0, MAX_MESSAGE_CHARS) + "... (" + (text.length() - MAX_MESSAGE_CHARS)
                + " more characters)";
    }
}
