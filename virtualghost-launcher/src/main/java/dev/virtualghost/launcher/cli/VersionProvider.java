package dev.virtualghost.launcher.cli;

import picocli.CommandLine;

/** Reports the launcher's version from the jar manifest, and the JVM it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return Main.versionLines();
    }
}
