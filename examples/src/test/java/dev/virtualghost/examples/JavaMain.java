package dev.virtualghost.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an example's {@code main} in a child JVM on this test's class path, as a user runs it with {@code java -cp},
 * for the examples whose {@code main} calls {@code System.exit} or prints straight to {@code System.out}.
 */
public record JavaMain(int exitCode, String stdout, String stderr) {

    /**
     * Runs {@code main} with {@code args} and waits for it.
     *
     * @param dir     where the captured output goes
     * @param env     variables added to this JVM's environment
     * @param timeout how long it may run; past that it is killed and the test fails
     * @param main    the example class
     * @param args    its command line
     * @return its exit code and output
     */
    public static JavaMain run(Path dir, Map<String, String> env, Duration timeout, Class<?> main, String... args)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        if (Runtime.version().feature() >= 22) {
            // junixsocket and JNA load native code: JDK 24+ warns on stderr (JEP 472) unless the class path may.
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(main.getSimpleName() + " did not exit within " + timeout + "; stdout: "
                    + Files.readString(out) + " stderr: " + Files.readString(err));
        }
        return new JavaMain(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
