package dev.virtualghost.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.vfio.ClaimingChild;
import dev.virtualghost.vfio.FakeSysfs;
import dev.virtualghost.vfio.Rigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code virtualghost clean} exit codes and messages on {@link FakeSysfs} trees, with runs that bind in a JVM of their
 * own ({@link ClaimingChild}) and are killed with SIGKILL: every message is one printable sentence saying what is
 * wrong and what to do; 0 when nothing is left, 1 when a journal is kept, 2 only for a bad command line.
 */
class CleanCommandTest {
    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();
    private FakeSysfs fs;
    private Path journals;

    @BeforeEach
    void desktop() throws Exception {
        fs = Rigs.desktop(tmp);
        journals = Files.createDirectory(
                tmp.resolve("journals"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private int clean(Path sys) {
        return cli.run("clean", "--journal-dir", journals.toString(), "--sys", sys.toString());
    }

    private ClaimingChild.Holder crashedRun() throws Exception {
        ClaimingChild.Holder run = ClaimingChild.bind(fs.root(), journals, journals.resolve("claims"), Rigs.GPU);
        run.kill();
        return run;
    }

    private Path privateJournal(String name, String content) throws Exception {
        Path j = journals.resolve(name);
        Files.writeString(j, content);
        Files.setPosixFilePermissions(j, PosixFilePermissions.fromString("rw-------"));
        return j;
    }

    private static void assertPrintableLines(String text) {
        assertThat(text.chars().filter(c -> c != '\n' && (c < 0x20 || c >= 0x7f)))
                .as("non-printable in " + text)
                .isEmpty();
    }

    @Test
    void cacheAndJournalDirExcludeEachOther() throws Exception {
        CliRun run = new CliRun();
        assertThat(run.run("clean", "--cache", "--journal-dir", tmp.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err.toString().strip())
                .doesNotContain("\n")
                .startsWith("virtualghost: --cache and --journal-dir exclude each other");
        assertThat(run.out.toString()).isEmpty();
    }

    @Test
    void journalDirThatIsMissingAFileOrEmptyIsAUsageErrorNotNothingToClean() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        for (String dir : new String[] {tmp.resolve("missing").toString(), file.toString(), ""}) {
            CliRun run = new CliRun();
            assertThat(run.run("clean", "--journal-dir", dir)).as(dir).isEqualTo(ExitCodes.USAGE);
            assertThat(run.out.toString()).doesNotContain("Nothing to clean");
            assertThat(run.err.toString().strip())
                    .doesNotContain("\n")
                    .startsWith("virtualghost: --journal-dir ")
                    .contains("give the directory the run wrote its restore journals to");
        }
    }

    @Test
    void wrongSysKeepsTheJournalAndExitsOne() throws Exception {
        ClaimingChild.Holder run = crashedRun();
        FakeSysfs elsewhere = new FakeSysfs(tmp.resolve("elsewhere"));

        assertThat(clean(elsewhere.root())).isEqualTo(ExitCodes.FAILED);
        assertThat(cli.out.toString())
                .contains("FAILED")
                .contains("is not under")
                .contains("journal is kept")
                .doesNotContain("All devices are back");
        assertThat(run.journal()).exists();
        assertThat(fs.driverOf(Rigs.GPU)).isEqualTo("vfio-pci");
        // (Restoring on the right tree needs the fake kernel as the writer: VfioCleanupTest does that part.)
    }

    @Test
    void aLiveRunsJournalIsLeftAloneAndIsNoFailure() throws Exception {
        ClaimingChild.Holder run = ClaimingChild.bind(fs.root(), journals, journals.resolve("claims"), Rigs.GPU);
        try {
            assertThat(clean(fs.root())).isZero();
            assertThat(cli.out.toString())
                    .contains("in use")
                    .contains("pid " + run.process().pid())
                    .contains("left alone");
            assertThat(fs.driverOf(Rigs.AUDIO))
                    .as("not moved under the running VM")
                    .isEqualTo("vfio-pci");
            assertThat(run.journal()).exists();
        } finally {
            run.kill();
        }
    }

    @Test
    void aSymlinkedJournalIsReportedNotSkipped() throws Exception {
        Path real = privateJournal("elsewhere.txt", "group=2\ncount=0\n");
        Files.createSymbolicLink(journals.resolve("vfio-binding-link.properties"), real);

        assertThat(clean(fs.root())).isEqualTo(ExitCodes.FAILED);
        assertThat(cli.out.toString())
                .contains("FAILED    vfio-binding-link.properties")
                .contains("symbolic link")
                .contains("refusing to replay it");
    }

    @Test
    void anInvalidDriverLinkFailsOnlyItsJournalWithExitOneAndPrintableText() throws Exception {
        privateJournal(
                "vfio-binding-a.properties",
                "group=12\ncount=1\ndevice.0.address=" + Rigs.GPU + "\ndevice.0.driver=nvidia\ndevice.0.override=\n");
        privateJournal(
                "vfio-binding-b.properties",
                "group=2\ncount=1\ndevice.0.address=" + Rigs.IGPU + "\ndevice.0.driver=i915\ndevice.0.override=\n");
        Path link = fs.root()
                .resolve("bus/pci/devices")
                .resolve(Rigs.GPU)
                .toRealPath()
                .resolve("driver");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("../../../bus/pci/drivers/nv\nidia\u001b[31m"));

        assertThat(clean(fs.root())).isEqualTo(ExitCodes.FAILED);
        String output = cli.out.toString();
        assertThat(output)
                .contains("FAILED    vfio-binding-a.properties")
                .contains("invalid driver 'nv?idia?[31m'")
                .contains("restored  " + Rigs.IGPU + "  (vfio-binding-b.properties)");
        assertPrintableLines(output);
        assertPrintableLines(cli.err.toString());
    }

    @Test
    void anInvalidUtf8JournalSaysItIsNotAJournal() throws Exception {
        Path j = journals.resolve("vfio-binding-bin.properties");
        Files.write(j, new byte[] {'g', '=', (byte) 0xff, (byte) 0xfe, '\n'});
        Files.setPosixFilePermissions(j, PosixFilePermissions.fromString("rw-------"));

        assertThat(clean(fs.root())).isEqualTo(ExitCodes.FAILED);
        assertThat(cli.out.toString())
                .contains("it is not UTF-8 text, so not a journal VfioBinder wrote")
                .doesNotContain("Input length");
    }

    @Test
    void gpusPrintsAnInvalidDriverNameAsOnePrintableLineAndExitsOne() throws Exception {
        Path link = fs.root()
                .resolve("bus/pci/devices")
                .resolve(Rigs.GPU)
                .toRealPath()
                .resolve("driver");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("../../../bus/pci/drivers/nv\nidia"));

        assertThat(cli.run("gpus", "--sys", fs.root().toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(cli.err.toString().strip())
                .doesNotContain("\n")
                .contains("invalid driver 'nv?idia'")
                .contains("is --sys a real sysfs tree?");
        assertPrintableLines(cli.out.toString() + cli.err.toString());
    }
}
