package dev.virtualghost.launcher.cli;

import dev.virtualghost.vsock.ssh.GuestSsh;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code virtualghost exec [--run ID] -- COMMAND...}: runs a command in a running session's guest. */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Run a command in the guest of a session started by another 'virtualghost run'.",
            "Exit code: the command's own, or 1 when the session cannot be reached."
        })
final class ExecCommand implements Callable<Integer> {
    @Option(
            names = "--run",
            paramLabel = "ID",
            description = "The run (its directory name under the runtime "
                    + "root's runs/); default: the only running session.")
    String run;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments (after --).")
    List<String> command;

    @Override
    public Integer call() {
        try (GuestSsh ssh = GuestCommand.connect(run)) {
            return ssh.exec(String.join(" ", command), System.in, System.out, System.err, Duration.ofDays(365));
        }
    }
}
