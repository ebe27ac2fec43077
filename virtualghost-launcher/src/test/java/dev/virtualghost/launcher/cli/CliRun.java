package dev.virtualghost.launcher.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real picocli command line, as {@code java -jar virtualghost-launcher.jar} does, capturing its output. */
final class CliRun {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** Runs {@code args} and returns the exit code; output accumulates in {@link #out} and {@link #err}. */
    int run(String... args) {
        CommandLine cli = VirtualGhostCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
