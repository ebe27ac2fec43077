package dev.virtualghost.launcher.cli;

import dev.virtualghost.ch.ChClient;

/**
 * The training run of {@code bin/virtualghost}'s class-data-sharing archive ({@code -XX:ArchiveClassesAtExit}):
 * loads what a {@code run} loads before its VM boots, without a VMM. picocli's whole command model ({@code --help}),
 * {@code run}'s options and configuration layers ({@code --dry-run}, which touches nothing and may stop at its
 * preflight), and the API client's stack
 * ({@link ChClient#preload()}: OkHttp, junixsocket and its native library, the JSON adapters). Output goes where the
 * caller sends it (the wrapper discards it); always exits 0, since a partial training only makes a smaller archive.
 */
public final class CdsTraining {
    private CdsTraining() {}

    /**
     * Runs the training and exits 0.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        var preload = ChClient.preload();
        Main.run("--help");
        Main.run("run", "--help");
        Main.run("run", "--dry-run", "--wait", "--kernel", "/dev/null", "--vcpus", "1", "--memory", "64M");
        preload.join();
        System.exit(ExitCodes.OK);
    }
}
