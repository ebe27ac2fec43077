/**
 * The guest's kernel, initramfs and root file system for {@code run}: given explicitly
 * ({@link dev.virtualghost.launcher.assets.GuestAssets#explicit}) or taken from the
 * {@link dev.virtualghost.launcher.assets.AssetCache} under {@code $XDG_CACHE_HOME/virtualghost}, which fills
 * itself from an {@link dev.virtualghost.launcher.assets.AssetSource} (a resource set on the class path, a URL or
 * a directory) and verifies every file by SHA-256 against the {@link dev.virtualghost.launcher.assets.GuestManifest}
 * before it is used.
 */
package dev.virtualghost.launcher.assets;
