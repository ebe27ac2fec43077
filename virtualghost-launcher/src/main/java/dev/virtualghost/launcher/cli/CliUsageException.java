package dev.virtualghost.launcher.cli;

/** A user mistake found after parsing (a bad value in a flag or the config): exit code 2, one line. */
final class CliUsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliUsageException(String message) {
        super(message);
    }
}
