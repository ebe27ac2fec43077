package dev.virtualghost.vfio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.PciAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore journal file: atomic, private creation, reading back, and listing what a crashed run left. */
class JournalTest {
    static final Journal.Entry GPU = new Journal.Entry(PciAddress.parse("0000:01:00.0"), "nvidia", null);
    static final Journal.Entry AUDIO =
            new Journal.Entry(PciAddress.parse("0000:01:00.1"), "snd_hda_intel", "snd_hda_intel");

    @TempDir
    Path dir;

    @Test
    void createLeavesExactlyOnePrivateCompleteFile() throws Exception {
        Path journal = Journal.create(dir, 12, List.of(GPU, AUDIO));

        assertThat(journal.getParent()).isEqualTo(dir);
        assertThat(journal.getFileName().toString())
                .startsWith("vfio-binding-group12-")
                .endsWith(".properties");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(journal);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal)))
                .isEqualTo("rw-------");
        assertThat(Journal.read(journal)).isEqualTo(new Journal.Contents(12, List.of(GPU, AUDIO)));
        assertThat(Journal.create(dir, 12, List.of(GPU))).isNotEqualTo(journal);
    }

    @Test
    void failureWhileFillingLeavesNoFileBehind() throws Exception {
        // An entry that cannot be serialized fails the fill half-way: neither an empty journal nor a temp file stays.
        List<Journal.Entry> broken = List.of(GPU, new Journal.Entry(null, "nvidia", null));
        assertThatThrownBy(() -> Journal.create(dir, 12, broken)).isInstanceOf(NullPointerException.class);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void listFindsJournalsAndLinksToJournalsInNameOrder() throws Exception {
        Path second = Journal.create(dir, 14, List.of(AUDIO));
        Path first = Journal.create(dir, 12, List.of(GPU));
        Files.writeString(dir.resolve(".vfio-binding-123.tmp"), "count=1\n"); // a crash before the rename
        Files.writeString(dir.resolve("notes.txt"), "x");
        Files.createDirectory(dir.resolve("vfio-binding-dir.properties"));
        Files.createSymbolicLink(dir.resolve("vfio-binding-link.properties"), first);

        assertThat(Journal.list(dir)).containsExactly(first, second, dir.resolve("vfio-binding-link.properties"));
        assertThat(Journal.list(dir.resolve("absent"))).isEmpty();
    }
}
