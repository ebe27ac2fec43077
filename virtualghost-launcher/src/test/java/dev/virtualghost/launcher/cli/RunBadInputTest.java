package dev.virtualghost.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input to {@code run}: one line on stderr naming the problem and the fix, the right exit code
 * (2 usage/config, 3 host), no stack trace, nothing created in the runtime root.
 */
class RunBadInputTest {
    @TempDir
    Path tmp;

    Path kernel;
    Path fakeCh;
    final CliRun cli = new CliRun();

    @BeforeEach
    void files() throws Exception {
        kernel = Files.writeString(tmp.resolve("vmlinux"), "not really a kernel");
        fakeCh = Files.writeString(tmp.resolve("cloud-hypervisor"), "#!/bin/sh\nexit 1\n");
        fakeCh.toFile().setExecutable(true);
    }

    private int run(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "run";
        all[1] = "--config";
        all[2] = emptyConfig().toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return cli.run(all);
    }

    private Path emptyConfig() {
        try {
            Path c = tmp.resolve("empty.toml");
            if (!Files.exists(c)) {
                Files.writeString(c, "# empty\n");
            }
            return c;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertOneLine(int code, int expected, String... fragments) {
        String err = cli.err.toString();
        assertThat(code).as(err).isEqualTo(expected);
        assertThat(err.strip().lines()).as(err).hasSize(1);
        assertThat(err).contains(fragments).doesNotContain("\tat ", "Exception");
    }

    @Test
    void unknownFlag() {
        assertOneLine(run("--frobnicate"), 2, "Unknown option: '--frobnicate'");
    }

    @Test
    void malformedPciAddress() {
        assertOneLine(run("--wait", "--kernel", kernel.toString(), "--gpu", "01:00"), 2, "--gpu", "01:00");
    }

    @Test
    void vcpusZero() {
        assertOneLine(
                run("--wait", "--kernel", kernel.toString(), "--vcpus", "0"),
                2,
                "vcpus must be between 1 and 254, got 0",
                "command line --vcpus");
    }

    @Test
    void wrongValueType() {
        assertOneLine(run("--wait", "--kernel", kernel.toString(), "--memory", "lots"), 2, "invalid size 'lots'");
    }

    @Test
    void missingKernelFlag() {
        assertOneLine(
                run("--wait", "--ch-binary", fakeCh.toString()),
                2,
                "no guest kernel",
                "--kernel",
                "--guest-url",
                "docs/guest.md");
    }

    @Test
    void kernelFileMissing() {
        assertOneLine(
                run(
                        "--wait",
                        "--ch-binary",
                        fakeCh.toString(),
                        "--kernel",
                        tmp.resolve("nope").toString(),
                        "--dry-run"),
                3,
                "kernel " + tmp.resolve("nope") + " does not exist; check --kernel");
    }

    @Test
    void chBinaryMissing() {
        assertOneLine(
                run(
                        "--wait",
                        "--ch-binary",
                        tmp.resolve("no-ch").toString(),
                        "--kernel",
                        kernel.toString(),
                        "--dry-run"),
                3,
                "cloud-hypervisor binary",
                "does not exist",
                "--ch-binary");
    }

    @Test
    void gpuAbsent() throws Exception {
        Path sys = Files.createDirectories(tmp.resolve("sys/bus/pci/devices"));
        assertOneLine(
                run(
                        "--kernel",
                        kernel.toString(),
                        "--ch-binary",
                        fakeCh.toString(),
                        "--sys",
                        tmp.resolve("sys").toString(),
                        "--gpu",
                        "0000:09:00.0",
                        "--dry-run"),
                3,
                "no PCI device 0000:09:00.0",
                "virtualghost gpus");
        assertThat(sys).isEmptyDirectory();
    }

    @Test
    void tomlSyntaxErrorNamesFileAndLine() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.toml"), "vcpus = 2\nmemory = \"1G\n");
        assertOneLine(
                cli.run("run", "--wait", "--config", bad.toString(), "--kernel", kernel.toString()),
                2,
                bad + " line 2");
    }

    @Test
    void tomlWrongTypeNamesFileLineAndKey() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.toml"), "# vm\nkernel = \"/k\"\nvcpus = \"four\"\n");
        assertOneLine(
                cli.run("run", "--wait", "--config", bad.toString()),
                2,
                bad + " line 3, key vcpus: expected an integer");
    }

    @Test
    void tomlUnknownKey() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.toml"), "cpus = 4\n");
        assertOneLine(cli.run("run", "--wait", "--config", bad.toString()), 2, "key cpus: unknown key");
    }

    @Test
    void waitAndACommandExcludeEachOther() {
        assertOneLine(run("--wait", "--kernel", kernel.toString(), "--", "ls"), 2, "exclude each other");
    }

    @Test
    void dryRunPrintsThePlanAndTheExactCreateBodyAndTouchesNothing() throws Exception {
        int code = run(
                "--wait",
                "--ch-binary",
                fakeCh.toString(),
                "--kernel",
                kernel.toString(),
                "--vcpus",
                "3",
                "--memory",
                "512M",
                "--cmdline",
                "console=ttyS0",
                "--dry-run");
        assertThat(code).as(cli.err.toString()).isZero();
        String out = cli.out.toString();
        assertThat(out)
                .contains(
                        "Plan (dry run: nothing was touched)",
                        "vmm:          " + fakeCh,
                        "steps:        preflight, runtime.dir, gpu.bind, ssh.key, vmm.spawn, vm.create, vm.boot, guest.ready",
                        "\"boot_vcpus\":3",
                        "\"size\":536870912",
                        "\"kernel\":\"" + kernel + "\"",
                        "\"cmdline\":\"console=ttyS0\"",
                        "\"cid\":3");
        assertThat(out).contains("runs/<id> (0700; journal run.journal)");
    }
}
