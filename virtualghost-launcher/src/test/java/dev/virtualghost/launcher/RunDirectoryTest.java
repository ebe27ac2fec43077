package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.launcher.steps.RunDirectoryStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directory step: private directories, a journal with a held owner lock, refusal of unsafe roots. */
class RunDirectoryTest {
    @TempDir
    Path tmp;

    private Flow.Running start(Path root) {
        Flow flow = Flow.of(List.of(new RunDirectoryStep()), LaunchListener.NONE);
        return flow.start(flow.newContext(
                LaunchSpec.builder().kernel(tmp.resolve("k")).runtimeRoot(root).build()));
    }

    @Test
    void createsAPrivateRunDirectoryWithALockedJournalAndRemovesItOnClose() throws Exception {
        Path root = tmp.resolve("rt");
        Path run;
        try (Flow.Running r = start(root)) {
            run = r.context().require(Keys.RUN_DIR);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run)))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve(RunJournal.FILE))))
                    .isEqualTo("rw-------");
            assertThat(RunJournal.ownerAlive(run)).isTrue();
            assertThat(RunJournal.read(run))
                    .containsEntry(
                            RunJournal.OWNER_PID,
                            Long.toString(ProcessHandle.current().pid()));
            assertThat(RunJournal.orphanedRuns(root)).isEmpty();
        }
        assertThat(run).doesNotExist();
    }

    @Test
    void putAllRecordsEveryEntryInOneWriteKeepingEarlierOnes() throws Exception {
        try (Flow.Running r = start(tmp.resolve("rt"))) {
            RunJournal journal = r.context().require(Keys.JOURNAL);
            Path run = r.context().require(Keys.RUN_DIR);
            journal.put(RunJournal.VMM_SOCKET, "/run/x/api.sock");
            journal.putAll(Map.of(
                    RunJournal.VMM_PID,
                    "42",
                    RunJournal.VMM_START,
                    "7",
                    RunJournal.VMM_COMMAND,
                    "cloud-hypervisor --api-socket x"));
            assertThat(RunJournal.read(run))
                    .containsEntry(RunJournal.VMM_SOCKET, "/run/x/api.sock")
                    .containsEntry(RunJournal.VMM_PID, "42")
                    .containsEntry(RunJournal.VMM_START, "7")
                    .containsEntry(RunJournal.VMM_COMMAND, "cloud-hypervisor --api-socket x");
            assertThat(journal.get(RunJournal.VMM_START)).contains("7");
            assertThat(run.resolve(RunJournal.FILE + ".tmp")).doesNotExist();
        }
    }

    @Test
    void aRuntimeRootOthersCanWriteIsRefused() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> start(root))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("writable by group or others; run chmod go-w " + root);
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void aSymlinkedRunsDirectoryIsRefused() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("rt"));
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve(RunJournal.RUNS), elsewhere);
        assertThatThrownBy(() -> start(root)).hasMessageContaining("is not a directory (or is a symlink)");
        assertThat(elsewhere).isEmptyDirectory();
    }
}
