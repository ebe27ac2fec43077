/**
 * Launches a guest in a Cloud Hypervisor VM that owns a GPU: the {@link dev.virtualghost.launcher.Launcher} flow
 * and its {@link dev.virtualghost.launcher.Session}, the built-in steps, the JUnit 5 extension, the guest asset
 * cache, and the {@code virtualghost} command line.
 *
 * <p>API: {@code dev.virtualghost.launcher}, {@code .steps}, {@code .junit} and {@code .assets}. The
 * {@code internal} packages are sealed. {@code dev.virtualghost.launcher.cli} is the application, not API: it is
 * not exported (run it with {@code java -jar virtualghost-launcher.jar}, or {@code java -p ... --add-modules
 * info.picocli -m dev.virtualghost.launcher/dev.virtualghost.launcher.cli.Main}); it is open to picocli, which reads
 * its command classes by reflection. picocli and JUnit are optional: embedders of the
 * {@code Launcher} need neither, the CLI and the extension bring their own.
 */
module dev.virtualghost.launcher {
    requires transitive dev.virtualghost.api;
    requires transitive dev.virtualghost.ch;
    requires transitive dev.virtualghost.vfio;
    requires transitive dev.virtualghost.vsock;
    requires com.squareup.moshi;
    requires org.tomlj;
    requires org.slf4j;
    requires java.net.http;
    // sun.misc.Signal: the CLI's SIGINT/SIGTERM handling (a second Ctrl-C skips the graceful shutdown).
    requires jdk.unsupported;
    requires static info.picocli;
    requires static org.junit.jupiter.api;

    exports dev.virtualghost.launcher;
    exports dev.virtualghost.launcher.assets;
    exports dev.virtualghost.launcher.junit;
    exports dev.virtualghost.launcher.steps;

    opens dev.virtualghost.launcher.cli to
            info.picocli;

    // Doctor loads every module's host checks (CH, VFIO, ...) through the ServiceLoader.
    uses dev.virtualghost.api.HostCheckProvider;
}
