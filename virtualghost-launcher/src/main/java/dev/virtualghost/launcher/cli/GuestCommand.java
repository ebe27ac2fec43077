package dev.virtualghost.launcher.cli;

import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.launcher.RunJournal;
import dev.virtualghost.launcher.RuntimePaths;
import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.ssh.GuestSsh;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Connects to the guest of a session another {@code virtualghost run} started, found through the runtime root:
 * the run's journal names its vsock socket, its client key (0600 in the run's 0700 directory) and the guest's
 * pinned host key. Only runs whose owner is alive and whose guest was reached over SSH qualify.
 */
final class GuestCommand {
    private GuestCommand() {}

    /** Connects to the run {@code id} (its directory name), or to the only eligible run when {@code id} is null. */
    static GuestSsh connect(String id) {
        Path root = RuntimePaths.fromEnvironment().root();
        List<Path> eligible = new ArrayList<>();
        for (Path run : RunJournal.runDirectories(root)) {
            if (id != null && !run.getFileName().toString().equals(id)) {
                continue;
            }
            try {
                Map<String, String> j = RunJournal.read(run);
                if (RunJournal.ownerAlive(run) && j.containsKey(RunJournal.SSH_HOST_KEY)) {
                    eligible.add(run);
                }
            } catch (IOException e) {
                // an unreadable journal is not a session we can reach
            }
        }
        if (eligible.isEmpty()) {
            throw new VirtualGhostException((id == null ? "no running session" : "no running session " + id)
                    + " with SSH under " + root + "; start one with 'virtualghost run' (without --wait)");
        }
        if (eligible.size() > 1) {
            throw new CliUsageException(eligible.size() + " running sessions ("
                    + String.join(
                            ", ",
                            eligible.stream()
                                    .map(p -> p.getFileName().toString())
                                    .toList()) + "); choose one with --run ID");
        }
        Map<String, String> j;
        try {
            j = RunJournal.read(eligible.get(0));
        } catch (IOException e) {
            throw new VirtualGhostException(
                    "cannot read the run journal of " + eligible.get(0) + ": " + e.getMessage(), e);
        }
        HybridVsockDialer dialer = HybridVsockDialer.builder()
                .socket(Path.of(j.get(RunJournal.VSOCK_SOCKET)))
                .build();
        return GuestSsh.builder()
                .dialer(dialer)
                .hostKey(j.get(RunJournal.SSH_HOST_KEY))
                .identityFile(Path.of(j.get(RunJournal.SSH_IDENTITY)))
                .connectTimeout(Duration.ofSeconds(30))
                .connect();
    }
}
