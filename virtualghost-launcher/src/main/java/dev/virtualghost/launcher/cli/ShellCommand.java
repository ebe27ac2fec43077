package dev.virtualghost.launcher.cli;

import dev.virtualghost.vsock.ssh.GuestSsh;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code virtualghost shell [--run ID]}: an interactive shell in a running session's guest. */
@Command(
        name = "shell",
        mixinStandardHelpOptions = true,
        description = "Open an interactive shell in the guest of a session started by another 'virtualghost run'.")
final class ShellCommand implements Callable<Integer> {
    @Option(
            names = "--run",
            paramLabel = "ID",
            description = "The run (its directory name under the runtime "
                    + "root's runs/); default: the only running session.")
    String run;

    @Override
    public Integer call() {
        try (GuestSsh ssh = GuestCommand.connect(run)) {
            return ssh.shell();
        }
    }
}
