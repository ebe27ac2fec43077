package dev.virtualghost.launcher.cli;

import dev.virtualghost.ch.ChClient;
import java.io.PrintStream;

/**
 * Entry point of {@code java -jar virtualghost-launcher.jar}: runs {@link VirtualGhostCommand} and exits with
 * its code.
 *
 * <p>{@code virtualghost --version} alone is answered before picocli builds its command model (which reflects
 * over every subcommand and costs several times the JVM's own start-up); see docs/benchmarks.md.
 */
public final class Main {
    private Main() {}

    /**
     * Runs the CLI; never returns.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        if (isVersionRequest(args)) {
            printVersion(System.out);
            System.exit(ExitCodes.OK);
        }
        if (startsVmm(args)) {
            // Overlap the API client's class loading (OkHttp, junixsocket, Moshi: several hundred ms in a cold
            // JVM) with picocli's model building and the steps before the VMM's first API call.
            ChClient.preload();
        }
        System.exit(run(args));
    }

    /**
     * Runs the CLI and returns its exit code, for embedding and tests.
     *
     * @param args the command line
     * @return the exit code
     */
    public static int run(String... args) {
        return VirtualGhostCommand.commandLine().execute(args);
    }

    /** True for exactly {@code --version} or {@code -V}: the same text picocli prints for them. */
    static boolean isVersionRequest(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /** True when the command is one that starts a VMM ({@code run}, {@code exec}, {@code shell}). */
    static boolean startsVmm(String[] args) {
        return args.length > 0 && (args[0].equals("run") || args[0].equals("exec") || args[0].equals("shell"));
    }

    /**
     * The {@code --version} text, one element per line, also {@link VersionProvider}'s. Lives here, not there,
     * because loading {@code VersionProvider} loads picocli's {@code IVersionProvider}.
     */
    static String[] versionLines() {
        // No string '+' here: javac compiles it to invokedynamic, whose bootstrap costs ~25 ms at start-up (as
        // does Runtime.version()'s parser, hence the java.runtime.version property, which it parses).
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "virtualghost ".concat(version == null ? "(development build)" : version),
            new StringBuilder("java ")
                    .append(System.getProperty("java.runtime.version"))
                    .append(" (")
                    .append(System.getProperty("java.vendor"))
                    .append(')')
                    .toString()
        };
    }

    static void printVersion(PrintStream out) {
        for (String line : versionLines()) {
            out.println(line);
        }
        out.flush();
    }
}
