package dev.virtualghost.launcher.steps;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.launcher.Keys;
import dev.virtualghost.launcher.LaunchContext;
import dev.virtualghost.launcher.RunJournal;
import dev.virtualghost.launcher.RuntimePaths;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.launcher.internal.PrivateDirs;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.VfioBinder;
import dev.virtualghost.vfio.VfioBinding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code gpu.bind}: binds the GPU and every other function of its IOMMU group (the audio function, ...) to
 * {@code vfio-pci}, through the vfio module's {@link VfioBinder} with its own restore journal. The claim is
 * written to the {@link RunJournal} first, the vfio journal's path right after. The undo gives every device
 * back to its original driver. Does nothing for a headless VM.
 *
 * <p>Stateless and thread-safe: one instance may serve any number of launches.
 */
public final class GpuBindStep implements Step {
    /** This step's name. */
    public static final String NAME = "gpu.bind";

    /** Creates the step. It holds no state: one instance may run in any number of launches. */
    public GpuBindStep() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(LaunchContext ctx) throws Exception {
        Optional<PciAddress> gpu = ctx.spec().gpuAddress();
        if (gpu.isEmpty()) {
            return;
        }
        RunJournal journal = ctx.require(Keys.JOURNAL);
        Path sys = ctx.spec().sysRoot();
        Path vfioJournals = PrivateDirs.ensure(vfioJournalDir(ctx));
        journal.put(RunJournal.GPU, gpu.get().toString());
        journal.put(RunJournal.SYS_ROOT, sys.toString());
        journal.put(RunJournal.VFIO_JOURNAL_DIR, vfioJournals.toString());
        VfioBinder.Builder b = VfioBinder.builder().bus(PciBus.at(sys)).journalDirectory(vfioJournals);
        ctx.get(Keys.SYSFS_WRITER).ifPresent(b::writer);
        VfioBinder binder = b.build();
        VfioBinding binding = binder.bind(gpu.get());
        ctx.undos()
                .push(
                        "restore IOMMU group " + binding.group() + " " + binding.devices(),
                        Duration.ofSeconds(60),
                        binding::close);
        ctx.put(Keys.BINDING, binding);
        journal.put(RunJournal.VFIO_JOURNAL, binding.journal().toString());
    }

    /** The vfio restore journals' directory: {@code vfio/} beside {@code runs/} in the runtime root. */
    static Path vfioJournalDir(LaunchContext ctx) {
        return ctx.spec().runtimeRoot().resolve(RuntimePaths.VFIO_DIR);
    }
}
