package dev.virtualghost.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Drives the real picocli command line, as {@code java -jar virtualghost-launcher.jar} does. */
class CliTest {
    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void aBadPciAddressIsOneLineWithAHintAndExitTwo() {
        int code = run("doctor", "--device", "../../etc/passwd");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip())
                .doesNotContain("\n")
                .doesNotContain("Exception")
                .contains("invalid PCI address")
                .contains("DDDD:BB:DD.F")
                .contains("--help");
    }

    @Test
    void aBadSizeIsOneLineWithAHint() {
        assertThat(run("doctor", "--memory", "lots")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("invalid size 'lots'").contains("e.g. 4G");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(run("launch-the-missiles")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    @Test
    void sizesUseBinaryUnits() {
        ByteSizeConverter c = new ByteSizeConverter();
        assertThat(c.convert("4G")).isEqualTo(4L << 30);
        assertThat(c.convert("512m")).isEqualTo(512L << 20);
        assertThat(c.convert("8GiB")).isEqualTo(8L << 30);
        assertThat(c.convert("4096")).isEqualTo(4096L);
    }

    @Test
    void doctorRunsEveryModulesChecksOnThisHost() {
        int code = run("doctor", "--memory", "1G");

        String report = out.toString();
        // Exit 1 exactly when a check failed (this machine has no IOMMU, so it may well): the report is full anyway.
        assertThat(code)
                .isEqualTo(report.lines().anyMatch(l -> l.startsWith("FAIL ")) ? ExitCodes.FAILED : ExitCodes.OK);
        assertThat(report).containsPattern("\\d+ checks: \\d+ ok, \\d+ warnings, \\d+ failed, \\d+ skipped");
        assertThat(report.lines().filter(l -> l.matches("^(OK|WARN|FAIL|SKIPPED) .*")))
                .isNotEmpty();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void versionNamesTheJvm() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString())
                .contains("virtualghost")
                .contains("java " + Runtime.version().feature());
    }

    @Test
    void cleanWithNoJournalsSaysSoAndSucceeds(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertThat(run("clean", "--journal-dir", dir.toString())).isZero();
        assertThat(out.toString()).startsWith("Nothing to clean: no restore journals in " + dir);
    }

    @Test
    void cleanRefusesAJournalDirectoryOthersCanWrite(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path journal = dir.resolve("vfio-binding-1.properties");
        java.nio.file.Files.writeString(journal, "count=0\n");
        java.nio.file.Files.setPosixFilePermissions(
                dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(run("clean", "--journal-dir", dir.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString().strip())
                .doesNotContain("\n")
                .contains("journalDirectory " + dir)
                .contains("0700");
    }
}
