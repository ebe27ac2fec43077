package dev.virtualghost.ch.model;

/**
 * The values of CH's string enum {@code ConsoleMode}: where CH connects a console or serial port ({@link SerialConfig#mode()}, {@link ConsoleConfig#mode()}, {@link DebugConsoleConfig#mode()}).
 *
 * <p>Records carry these as plain {@code String}s so that a value added by a newer CH still parses; compare
 * against these constants. Not instantiable.
 */
public final class ConsoleMode {

    /** {@code "Off"}. */
    public static final String OFF = "Off";

    /** {@code "Pty"}. */
    public static final String PTY = "Pty";

    /** {@code "Tty"}. */
    public static final String TTY = "Tty";

    /** {@code "File"}. */
    public static final String FILE = "File";

    /** {@code "Socket"}. */
    public static final String SOCKET = "Socket";

    /** {@code "Null"}. */
    public static final String NULL = "Null";

    /** The known values, in spec order. */
    public static final java.util.List<String> VALUES =
            java.util.List.of("Off", "Pty", "Tty", "File", "Socket", "Null");

    private ConsoleMode() {}
}
