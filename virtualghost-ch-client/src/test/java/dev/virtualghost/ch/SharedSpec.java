package dev.virtualghost.ch;

import java.nio.file.Path;

/**
 * Where {@code ../shared/spec/cloud-hypervisor.yaml} lives: the {@code virtualghost.shared.dir} property (the build
 * sets it), else {@code shared} beside the project root, which is the parent of a module's directory, the working
 * directory of its tests. The same rule as the testkit's {@code SharedSpec}.
 */
final class SharedSpec {

    private SharedSpec() {}

    /** The spec file the property or the module directory point at; it may not exist. */
    static Path file(String sharedDirProperty, Path moduleDir) {
        Path shared = sharedDirProperty != null
                ? Path.of(sharedDirProperty)
                : moduleDir.toAbsolutePath().getParent().resolve("../shared");
        return shared.resolve("spec/cloud-hypervisor.yaml").normalize();
    }

    /** The spec file for this test run; it may not exist. */
    static Path file() {
        return file(System.getProperty("virtualghost.shared.dir"), Path.of(""));
    }
}
