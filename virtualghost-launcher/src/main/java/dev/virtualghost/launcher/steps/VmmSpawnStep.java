package dev.virtualghost.launcher.steps;

import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.launcher.Keys;
import dev.virtualghost.launcher.LaunchContext;
import dev.virtualghost.launcher.RunJournal;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.launcher.VmEvents;
import dev.virtualghost.launcher.internal.Preflight;
import dev.virtualghost.launcher.internal.PrivateDirs;
import dev.virtualghost.launcher.internal.ProcStat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code vmm.spawn}: starts {@code cloud-hypervisor} with its API socket, log and event monitor in
 * {@code <run dir>/vmm} and waits for its API. The socket is journaled before the spawn, the pid with its start
 * time and command line right after, so {@code clean} can stop this VMM if the launcher dies. The undo is
 * {@link ChProcess#close()}'s escalation ({@code vmm.shutdown}, SIGTERM, SIGKILL), after the graceful guest
 * shutdown that {@link VmBootStep} registers.
 *
 * <p>Stateless and thread-safe: one instance may serve any number of launches.
 */
public final class VmmSpawnStep implements Step {
    /** This step's name. */
    public static final String NAME = "vmm.spawn";

    private static final Duration API_TIMEOUT = Duration.ofSeconds(15);

    /** Creates the step. It holds no state: one instance may run in any number of launches. */
    public VmmSpawnStep() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(LaunchContext ctx) throws Exception {
        Path runDir = ctx.require(Keys.RUN_DIR);
        RunJournal journal = ctx.require(Keys.JOURNAL);
        Path vmmDir = PrivateDirs.ensure(runDir.resolve("vmm"));
        Path binary = Preflight.resolveChBinary(ctx.spec());
        journal.put(RunJournal.VMM_SOCKET, vmmDir.resolve("api.sock").toString());
        VmEvents events = ctx.get(Keys.EVENTS).orElseGet(VmEvents::new);
        ctx.put(Keys.EVENTS, events);
        ChProcess ch = ChProcess.builder()
                .binary(binary)
                .runtimeDir(vmmDir)
                .eventListener(events)
                .start();
        ctx.undos().push("stop the VMM (pid " + ch.handle().pid() + ")", Duration.ofSeconds(30), ch::close);
        long pid = ch.handle().pid();
        OptionalLong start = ProcStat.startTicks(pid);
        // One journal write (one sync) for the three facts learnt together.
        Map<String, String> vmm = new LinkedHashMap<>();
        vmm.put(RunJournal.VMM_PID, Long.toString(pid));
        if (start.isPresent()) {
            vmm.put(RunJournal.VMM_START, Long.toString(start.getAsLong()));
        }
        vmm.put(
                RunJournal.VMM_COMMAND,
                String.join(" ", ch.handle().info().commandLine().map(List::of).orElse(List.of(binary.toString()))));
        journal.putAll(vmm);
        ctx.put(Keys.CH_PROCESS, ch);
        ctx.put(Keys.CH_CLIENT, ch.client());
        Duration left = ctx.remaining();
        ch.awaitApi(left.compareTo(API_TIMEOUT) < 0 ? left : API_TIMEOUT);
    }
}
