package dev.virtualghost.launcher.cli;

import picocli.CommandLine;

/**
 * Entry point of {@code java -jar virtualghost-launcher.jar}: runs {@link VirtualGhostCommand} and exits with
 * its code.
 */
public final class Main {
    private Main() {
    }

    /** Runs the CLI; never returns. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code, for embedding and tests. */
    public static int run(String... args) {
        return VirtualGhostCommand.commandLine().execute(args);
    }
}
