package dev.virtualghost.launcher.cli;

import dev.virtualghost.api.VirtualGhostException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code virtualghost} command: subcommands for the host ({@code doctor}) and, as they land, the VM.
 * User mistakes and host failures are reported in one line with a hint, never as a stack trace.
 */
@Command(
        name = "virtualghost",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run Ghostty, or any guest workload, in a Cloud Hypervisor VM that owns a GPU.",
        subcommands = {
            RunCommand.class,
            ExecCommand.class,
            ShellCommand.class,
            ConfigCommand.class,
            DoctorCommand.class,
            GpusCommand.class,
            CleanCommand.class,
            CommandLine.HelpCommand.class
        })
public final class VirtualGhostCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Builds the configured picocli command line with one-line error handlers.
     *
     * @return a new command line for the {@code virtualghost} command
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new VirtualGhostCommand());
        cli.setParameterExceptionHandler(VirtualGhostCommand::onUsageError);
        cli.setExecutionExceptionHandler(VirtualGhostCommand::onExecutionError);
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int onUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("virtualghost: " + oneLine(e.getMessage()) + " (see '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
        return ExitCodes.USAGE;
    }

    private static int onExecutionError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof CliUsageException) {
            err.println("virtualghost: " + oneLine(e.getMessage()));
            return ExitCodes.USAGE;
        }
        if (e instanceof VirtualGhostException) {
            err.println("virtualghost: " + oneLine(e.getMessage()));
            return ExitCodes.FAILED;
        }
        if (e instanceof IllegalArgumentException) {
            err.println("virtualghost: " + oneLine(e.getMessage()));
            return ExitCodes.USAGE;
        }
        err.println("virtualghost: internal error: " + e + " (please report it with the output of --version)");
        return ExitCodes.INTERNAL;
    }

    static String oneLine(String message) {
        return message == null
                ? "(no detail)"
                : message.replaceAll("\\s*\\R\\s*", "; ").strip();
    }
}
