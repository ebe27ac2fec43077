package dev.virtualghost.vsock.ssh.internal;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A HostKeyRepository that trusts only the pinned keys and never learns new ones ({@code add} and
 * {@code remove} do nothing), so with StrictHostKeyChecking=yes JSch can never accept a key silently. It also
 * records the key the server presented, for the error message.
 */
public final class PinnedHostKeys implements HostKeyRepository {

    /** A pinned key: its type and raw SSH wire blob. */
    public record Pin(String type, byte[] blob) {
        public String fingerprint() {
            return PinnedHostKeys.fingerprint(blob);
        }
    }

    private final List<Pin> pins;
    private volatile byte[] presented;

    public PinnedHostKeys(List<Pin> pins) {
        this.pins = List.copyOf(pins);
    }

    /** Parses an OpenSSH public key line ({@code type base64 [comment]}), with or without a host field first. */
    public static Pin parseLine(String line) {
        String[] f = line.trim().split("\\s+");
        for (int i = 0; i + 1 < f.length; i++) {
            if (f[i].startsWith("ssh-") || f[i].startsWith("ecdsa-") || f[i].startsWith("sk-")) {
                try {
                    return new Pin(f[i], Base64.getDecoder().decode(f[i + 1]));
                } catch (IllegalArgumentException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("not an OpenSSH public key line: " + abbreviate(line));
    }

    public List<Pin> pins() {
        return pins;
    }

    /** The host key blob the server presented in the last check, or null. */
    public byte[] presented() {
        return presented;
    }

    @Override
    public int check(String host, byte[] key) {
        presented = key.clone();
        for (Pin p : pins) {
            if (Arrays.equals(p.blob(), key)) {
                return OK;
            }
        }
        return pins.isEmpty() ? NOT_INCLUDED : CHANGED;
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // Never learn keys: the pin is the only truth.
    }

    @Override
    public void remove(String host, String type) {}

    @Override
    public void remove(String host, String type, byte[] key) {}

    @Override
    public String getKnownHostsRepositoryID() {
        return "virtualghost-pinned";
    }

    @Override
    public HostKey[] getHostKey() {
        return new HostKey[0];
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return new HostKey[0];
    }

    public static String fingerprint(byte[] blob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** The host key algorithms to ask for so that a server with several keys shows a pinned one. */
    public static String algorithms(List<Pin> pins) {
        java.util.Set<String> algs = new java.util.LinkedHashSet<>();
        for (Pin p : pins) {
            if (p.type().equals("ssh-rsa")) {
                algs.add("rsa-sha2-512");
                algs.add("rsa-sha2-256");
            }
            algs.add(p.type());
        }
        return String.join(",", algs);
    }
}
