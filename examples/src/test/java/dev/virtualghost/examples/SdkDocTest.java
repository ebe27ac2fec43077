package dev.virtualghost.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.model.DiskConfig;
import dev.virtualghost.ch.testkit.FakeCloudHypervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/sdk.md cannot rot: each of its code blocks is the text of a snippet in {@link SdkSnippets} (or, for the Maven
 * snippet, in examples/consumer/pom.xml, which the build compiles against the published artifacts), and the
 * snippets run here against the fake CH where they can.
 */
class SdkDocTest {
    private static final Path DOC = Path.of("..", "docs", "sdk.md");
    private static final Path README = Path.of("..", "README.md");
    private static final Path SNIPPETS = Path.of("src/main/java/dev/virtualghost/examples/SdkSnippets.java");
    private static final Path CONSUMER_POM = Path.of("consumer", "pom.xml");

    @Test
    void everyCodeBlockOfTheDocIsASnippetThatCompiles() throws IOException {
        Map<String, String> doc = docBlocks();
        Map<String, String> code = regions(Files.readString(SNIPPETS), "// snippet: (\\S+)", "// end snippet");
        code.putAll(regions(
                Files.readString(CONSUMER_POM), "<!-- README snippet: (BEGIN) -->", "<!-- README snippet: END -->"));

        assertThat(doc.keySet()).containsExactlyInAnyOrderElementsOf(code.keySet());
        doc.forEach((name, text) ->
                assertThat(text).as("docs/sdk.md snippet '%s'", name).isEqualTo(code.get(name)));
    }

    @Test
    void theReadmeMavenSnippetIsTheOneTheConsumerProjectBuilds() throws IOException {
        Matcher m = Pattern.compile("<!-- snippet: maven -->\\n```xml\\n(.*?)```\\n", Pattern.DOTALL)
                .matcher(Files.readString(README));
        assertThat(m.find()).as("README.md has a <!-- snippet: maven --> block").isTrue();
        Map<String, String> consumer = regions(
                Files.readString(CONSUMER_POM), "<!-- README snippet: (BEGIN) -->", "<!-- README snippet: END -->");
        assertThat(dedent(m.group(1))).as("README.md's Maven snippet").isEqualTo(consumer.get("maven"));
    }

    @Test
    void theTestkitSnippetRuns(@TempDir Path dir) {
        assertThat(SdkSnippets.fake(dir)).isEqualTo("Running after 1 boot");
    }

    @Test
    void theStartAVmSnippetRunsAgainstTheFakeAsAChildProcess(@TempDir Path dir) throws IOException {
        Path ch = FakeCloudHypervisor.installLauncher(Files.createDirectory(dir.resolve("bin")));
        Path kernel = Files.writeString(dir.resolve("vmlinux"), "not really a kernel");
        Path disk = Files.writeString(dir.resolve("root.raw"), "");

        assertThat(SdkSnippets.startAVm(ch, kernel, disk)).startsWith("Running ");
    }

    @Test
    void theBuildersSnippetCopies() {
        DiskConfig disk = SdkSnippets.builders();
        assertThat(disk.readonly()).isTrue();
        assertThat(disk.path()).startsWith("/").endsWith("images/root.qcow2");
        assertThat(disk.numQueues()).isEqualTo(4);
    }

    /** The blocks of docs/sdk.md that follow a {@code <!-- snippet: NAME -->} line, dedented. */
    private static Map<String, String> docBlocks() throws IOException {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<!-- snippet: (\\S+) -->\\n```\\w+\\n(.*?)```\\n", Pattern.DOTALL)
                .matcher(Files.readString(DOC));
        while (m.find()) {
            assertThat(blocks.put(m.group(1), dedent(m.group(2))))
                    .as("duplicate snippet " + m.group(1))
                    .isNull();
        }
        return blocks;
    }

    private static Map<String, String> regions(String source, String begin, String end) {
        Map<String, String> regions = new LinkedHashMap<>();
        Matcher m = Pattern.compile("[ \\t]*" + begin + "\\n(.*?)[ \\t]*" + Pattern.quote(end), Pattern.DOTALL)
                .matcher(source);
        while (m.find()) {
            String name = m.group(1).equals("BEGIN") ? "maven" : m.group(1);
            regions.put(name, dedent(m.group(2)));
        }
        return regions;
    }

    private static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
