package dev.virtualghost.launcher.assets;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The guest image's {@code manifest.json}, as written by {@code guest/build-image.sh}: for each asset role
 * ({@code kernel}, {@code initramfs}, {@code rootfs}) the file name, size and SHA-256 of its content, and the
 * kernel command line the image expects. An asset may name a differently stored {@code source} (e.g.
 * {@code rootfs.ext4.gz}, gzip-compressed); size and SHA-256 are always those of the file as used.
 *
 * <pre>{@code
 * {"format": 1, "name": "virtualghost-guest", "cmdline": "console=ttyS0 root=/dev/vda ro ...",
 *  "assets": {"kernel": {"file": "vmlinuz", "size": 8247232, "sha256": "9f2c..."}, ...}}
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class GuestManifest {
    /** The asset roles {@code run} needs. */
    public static final List<String> ROLES = List.of("kernel", "initramfs", "rootfs");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

    /**
     * One file of the guest: its name in the cache, how it is stored at the source, its size and SHA-256.
     *
     * @param role the asset's role, one of {@link GuestManifest#ROLES}
     * @param file the file's name in the cache
     * @param source the file's name at the source (ends in {@code .gz} when compressed)
     * @param size the size in bytes of the file as used (uncompressed)
     * @param sha256 the SHA-256 of the file as used, 64 lower-case hex digits
     */
    public record Asset(String role, String file, String source, long size, String sha256) {
        /**
         * Validates the fields.
         *
         * @param role the asset's role, one of {@link GuestManifest#ROLES}
         * @param file the file's name in the cache
         * @param source the file's name at the source (ends in {@code .gz} when compressed)
         * @param size the size in bytes of the file as used (uncompressed)
         * @param sha256 the SHA-256 of the file as used, 64 lower-case hex digits
         * @throws IllegalArgumentException if a file name, the size or the SHA-256 is malformed
         */
        public Asset {
            Objects.requireNonNull(role, "role");
            checkName(file, role + ".file");
            checkName(source, role + ".source");
            if (size < 0) {
                throw new IllegalArgumentException("manifest: " + role + ".size < 0");
            }
            if (!SHA256.matcher(sha256).matches()) {
                throw new IllegalArgumentException("manifest: " + role + ".sha256 is not 64 lower-case hex digits");
            }
        }

        /**
         * Whether the source form is gzip-compressed ({@code source} ends in {@code .gz}).
         *
         * @return true if the source form ends in {@code .gz}
         */
        public boolean gzipped() {
            return source.endsWith(".gz") && !file.endsWith(".gz");
        }
    }

    private final String name;
    private final String cmdline;
    private final Map<String, Asset> assets;
    private final String sha256;

    private GuestManifest(String name, String cmdline, Map<String, Asset> assets, String sha256) {
        this.name = name;
        this.cmdline = cmdline;
        this.assets = Collections.unmodifiableMap(assets);
        this.sha256 = sha256;
    }

    /**
     * Parses a manifest.
     *
     * @param json the manifest's bytes (UTF-8 JSON)
     * @return the parsed manifest
     * @throws AssetException if it is not valid JSON or lacks a role, a size or a well-formed SHA-256
     */
    public static GuestManifest parse(byte[] json) {
        Map<?, ?> root;
        try {
            JsonAdapter<Object> adapter = new Moshi.Builder().build().adapter(Object.class);
            Object parsed = adapter.fromJson(new String(json, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map<?, ?> m)) {
                throw new AssetException("guest manifest: not a JSON object");
            }
            root = m;
        } catch (IOException | RuntimeException e) {
            if (e instanceof AssetException a) {
                throw a;
            }
            throw new AssetException("guest manifest: not valid JSON: " + e.getMessage(), e);
        }
        try {
            Object format = root.get("format");
            if (!(format instanceof Number n) || n.intValue() != 1) {
                throw new IllegalArgumentException("manifest: format is " + format + ", this launcher reads format 1");
            }
            Object rawAssets = root.get("assets");
            if (!(rawAssets instanceof Map<?, ?> am)) {
                throw new IllegalArgumentException("manifest: no \"assets\" object");
            }
            Map<String, Asset> assets = new LinkedHashMap<>();
            for (String role : ROLES) {
                if (!(am.get(role) instanceof Map<?, ?> a)) {
                    throw new IllegalArgumentException("manifest: no assets." + role);
                }
                String file = string(a, "file", role);
                Object source = a.get("source");
                Object size = a.get("size");
                if (!(size instanceof Number sn) || sn.doubleValue() != Math.rint(sn.doubleValue())) {
                    throw new IllegalArgumentException("manifest: " + role + ".size is not a whole number");
                }
                assets.put(
                        role,
                        new Asset(
                                role,
                                file,
                                source == null ? file : source.toString(),
                                sn.longValue(),
                                string(a, "sha256", role).toLowerCase(Locale.ROOT)));
            }
            String name = root.get("name") == null
                    ? "virtualghost-guest"
                    : root.get("name").toString();
            String cmdline =
                    root.get("cmdline") == null ? "" : root.get("cmdline").toString();
            return new GuestManifest(name, cmdline, assets, Hashing.sha256Hex(json));
        } catch (IllegalArgumentException e) {
            throw new AssetException("guest " + e.getMessage(), e);
        }
    }

    private static String string(Map<?, ?> m, String key, String role) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("manifest: " + role + "." + key + " missing or not a string");
        }
        return s;
    }

    private static void checkName(String file, String what) {
        if (file == null || !FILE_NAME.matcher(file).matches()) {
            throw new IllegalArgumentException("manifest: " + what + " is not a plain file name: " + file);
        }
    }

    /**
     * The image name (for messages).
     *
     * @return the image name
     */
    public String name() {
        return name;
    }

    /**
     * The kernel command line the image expects (the launcher adds the session's key to it).
     *
     * @return the kernel command line, possibly empty
     */
    public String cmdline() {
        return cmdline;
    }

    /**
     * The asset of {@code role}, if the manifest has it.
     *
     * @param role an asset role, e.g. {@code "kernel"}
     * @return the asset, or empty when the manifest has none of that role
     */
    public Optional<Asset> asset(String role) {
        return Optional.ofNullable(assets.get(role));
    }

    /**
     * All assets, by role, in {@link #ROLES} order.
     *
     * @return an unmodifiable map from role to asset
     */
    public Map<String, Asset> assets() {
        return assets;
    }

    /**
     * SHA-256 of the manifest's bytes (identifies this image version).
     *
     * @return the SHA-256 of the manifest's bytes, 64 lower-case hex digits
     */
    public String sha256() {
        return sha256;
    }
}
