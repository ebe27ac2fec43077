package dev.virtualghost.ch;

import java.nio.file.Path;

/**
 * A child JVM for the crash tests: starts a {@link ChProcess} on the binary in {@code args[0]}, prints
 * {@code READY <pid> <runtimeDir>}, then either holds forever ({@code args[1] = "hold"}, to be killed with SIGKILL)
 * or calls {@code System.exit(0)} without closing ({@code "exit"}). {@code args[2]}: dieWithJvm,
 * {@code args[3]}: closeOnJvmExit.
 */
public final class ChProcessChildMain {

    private ChProcessChildMain() {}

    public static void main(String[] args) throws Exception {
        ChProcess ch = ChProcess.builder()
                .binary(Path.of(args[0]))
                .dieWithJvm(Boolean.parseBoolean(args[2]))
                .closeOnJvmExit(Boolean.parseBoolean(args[3]))
                .start();
        System.out.println("READY " + ch.pid() + " " + ch.runtimeDir());
        System.out.flush();
        if (args[1].equals("hold")) {
            Thread.sleep(Long.MAX_VALUE);
        }
        System.exit(0);
    }
}
