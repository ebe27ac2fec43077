package dev.virtualghost.launcher.assets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A guest image in the shape guest/build-image.sh writes (manifest.json + kernel, initramfs, rootfs), with random
 * contents of a few hundred KiB, optionally stored gzip-compressed like the class-path artifact.
 */
final class ImageFixture {
    final Path dir;
    final Map<String, byte[]> contents = new LinkedHashMap<>();
    final Map<String, String> files = Map.of("kernel", "vmlinuz", "initramfs", "initrd.img", "rootfs", "rootfs.ext4");
    final byte[] manifest;

    ImageFixture(Path dir, boolean gzip) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Random random = new Random(42);
        StringBuilder json = new StringBuilder(
                "{\"format\": 1, \"name\": \"test-guest\", \"cmdline\": \"console=ttyS0 root=/dev/vda ro\",\n \"assets\": {");
        int i = 0;
        for (String role : GuestManifest.ROLES) {
            byte[] data = new byte[200_000 + 150_000 * i];
            random.nextBytes(data);
            String file = files.get(role);
            contents.put(role, data);
            String source = gzip ? file + ".gz" : file;
            if (gzip) {
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(source)))) {
                    out.write(data);
                }
            } else {
                Files.write(dir.resolve(file), data);
            }
            json.append(i++ == 0 ? "" : ",")
                    .append("\n  \"")
                    .append(role)
                    .append("\": {\"file\": \"")
                    .append(file)
                    .append("\", \"source\": \"")
                    .append(source)
                    .append("\", \"size\": ")
                    .append(data.length)
                    .append(", \"sha256\": \"")
                    .append(Hashing.sha256Hex(data))
                    .append("\"}");
        }
        json.append("\n },\n \"packages\": [{\"name\": \"busybox-static\", \"version\": \"1:1.35.0-4\"}]}\n");
        manifest = json.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("manifest.json"), manifest);
    }

    /** A source over this directory that counts opens per name and can slow reads down. */
    static final class CountingSource implements AssetSource {
        final AssetSource delegate;
        final Map<String, AtomicInteger> opens = new ConcurrentHashMap<>();
        final long delayPerReadMillis;

        CountingSource(AssetSource delegate, long delayPerReadMillis) {
            this.delegate = delegate;
            this.delayPerReadMillis = delayPerReadMillis;
        }

        int opens(String name) {
            return opens.getOrDefault(name, new AtomicInteger()).get();
        }

        @Override
        public InputStream open(String name) throws IOException {
            opens.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            InputStream in = delegate.open(name);
            if (delayPerReadMillis == 0) {
                return in;
            }
            return new java.io.FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        Thread.sleep(delayPerReadMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                    return super.read(b, off, Math.min(len, 65536));
                }
            };
        }

        @Override
        public String describe() {
            return "counting:" + delegate.describe();
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
