package dev.virtualghost.launcher.assets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The three files {@code run} boots: kernel, initramfs, root file system image, and the kernel command line the
 * image expects (empty when given explicitly). The root file system is the base image: the launcher attaches it
 * read-only ({@code readonly=on}); the guest keeps a session's writes in a RAM overlay (docs/guest.md).
 * Immutable.
 *
 * @param kernel the guest kernel
 * @param initramfs the initramfs
 * @param rootfs the root file system image
 * @param cmdline the kernel command line the image expects; empty when given explicitly
 */
public record GuestAssets(Path kernel, Path initramfs, Path rootfs, String cmdline) {
    /**
     * Validates that no field is null.
     *
     * @param kernel the guest kernel
     * @param initramfs the initramfs
     * @param rootfs the root file system image
     * @param cmdline the kernel command line the image expects; empty when given explicitly
     * @throws NullPointerException if a field is null
     */
    public GuestAssets {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initramfs, "initramfs");
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(cmdline, "cmdline");
    }

    /**
     * Assets given by the user (flags or config), checked to be readable regular files.
     *
     * @param kernel the guest kernel
     * @param initramfs the initramfs
     * @param rootfs the root file system image
     * @return the assets, with an empty command line
     * @throws AssetException naming the first file that is missing or unreadable
     */
    public static GuestAssets explicit(Path kernel, Path initramfs, Path rootfs) {
        check("kernel", kernel);
        check("initramfs", initramfs);
        check("rootfs", rootfs);
        return new GuestAssets(kernel.toAbsolutePath(), initramfs.toAbsolutePath(), rootfs.toAbsolutePath(), "");
    }

    private static void check(String role, Path p) {
        Objects.requireNonNull(p, role);
        if (!Files.isRegularFile(p)) {
            throw new AssetException("guest " + role + " " + p + " does not exist or is not a file: pass an existing"
                    + " file, or leave it out to use the asset cache");
        }
        if (!Files.isReadable(p)) {
            throw new AssetException("guest " + role + " " + p + " is not readable by this user: fix its permissions");
        }
    }
}
