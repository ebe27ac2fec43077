package dev.virtualghost.vsock.ssh.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads the keys for one host name from an OpenSSH known_hosts file (plain and hashed {@code |1|salt|hash}
 * entries, per sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). Markers ({@code @revoked}, {@code @cert-authority})
 * and negated patterns are skipped, never trusted.
 */
public final class KnownHostsFile {

    private KnownHostsFile() {}

    public static List<PinnedHostKeys.Pin> keysFor(Path file, String host) throws IOException {
        List<PinnedHostKeys.Pin> out = new ArrayList<>();
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("@")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 3 || !matches(f[0], host)) {
                continue;
            }
            try {
                out.add(new PinnedHostKeys.Pin(f[1], Base64.getDecoder().decode(f[2])));
            } catch (IllegalArgumentException e) {
                // A corrupt line pins nothing.
            }
        }
        return out;
    }

    private static boolean matches(String hosts, String host) {
        if (hosts.startsWith("|1|")) {
            String[] p = hosts.split("\\|");
            if (p.length != 4) {
                return false;
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(p[2]), "HmacSHA1"));
                byte[] h = mac.doFinal(host.getBytes(StandardCharsets.UTF_8));
                return MessageDigest.isEqual(h, Base64.getDecoder().decode(p[3]));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
        for (String h : hosts.split(",")) {
            if (h.equals(host)) {
                return true;
            }
        }
        return false;
    }
}
