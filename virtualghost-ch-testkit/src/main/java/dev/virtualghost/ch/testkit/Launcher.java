package dev.virtualghost.ch.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Writes the {@code cloud-hypervisor} script that starts {@link FakeCloudHypervisorMain}. Stateless. */
final class Launcher {
  private Launcher() {}

  static Path install(Path dir) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> args = new ArrayList<>();
    args.add(java);
    // A short-lived child: skip the optimizing JIT and use the smallest GC to start faster.
    args.add("-XX:TieredStopAtLevel=1");
    args.add("-XX:+UseSerialGC");
    args.add("-Xshare:auto");
    if (Runtime.version().feature() >= 22) {
      args.add("--enable-native-access=ALL-UNNAMED");
    }
    args.add("-cp");
    args.add(System.getProperty("java.class.path"));
    args.add(FakeCloudHypervisorMain.class.getName());
    StringBuilder script = new StringBuilder("#!/bin/sh\n# Fake cloud-hypervisor for tests (virtualghost-ch-testkit).\nexec");
    for (String a : args) {
      script.append(' ').append(quote(a));
    }
    script.append(" \"$@\"\n");
    Path file = dir.resolve("cloud-hypervisor");
    try {
      Files.writeString(file, script);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write fake cloud-hypervisor launcher " + file + ": " + e, e);
    }
    return file;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
