package dev.virtualghost.vfio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture binder tests share: the {@link Rigs#desktop} machine on a {@link FakeSysfs}, a private journal
 * directory, and a binder with short waits so failure cases stay fast.
 */
abstract class BinderRig {
    @TempDir
    Path tmp;

    FakeSysfs fs;
    Path journals;
    Path claims;
    PciBus bus;

    @BeforeEach
    void setUpRig() throws Exception {
        fs = Rigs.desktop(tmp);
        journals = Files.createDirectory(tmp.resolve("journals"));
        claims = tmp.resolve("claims");
        bus = PciBus.at(fs.root(), Rigs.ids(tmp));
    }

    VfioBinder.Builder binder() {
        return VfioBinder.builder()
                .bus(bus)
                .writer(fs)
                .journalDirectory(journals)
                .claimDirectory(claims)
                .timeout(Duration.ofMillis(300))
                .pollInterval(Duration.ofMillis(5));
    }
}
