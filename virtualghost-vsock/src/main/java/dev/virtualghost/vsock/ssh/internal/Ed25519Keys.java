package dev.virtualghost.vsock.ssh.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Generates an ed25519 key with the JDK and encodes it in OpenSSH's formats (JSch can read but not write
 * ed25519). Private key layout from OpenSSH PROTOCOL.key ("openssh-key-v1", cipher "none"); public key blob
 * from RFC 8709 section 4.
 */
public final class Ed25519Keys {

    /** An encoded key pair: the private key file text and the {@code ssh-ed25519 AAAA... comment} line. */
    public record Encoded(String privateKeyPem, String publicKeyLine, byte[] publicBlob) {}

    private Ed25519Keys() {}

    public static Encoded generate(String comment) throws GeneralSecurityException {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] x509 = kp.getPublic().getEncoded();
        byte[] pkcs8 = kp.getPrivate().getEncoded();
        // X.509 SubjectPublicKeyInfo for Ed25519 ends with the 32-byte key; PKCS#8 (v1) ends with the 32-byte seed.
        byte[] pub = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        byte[] blob = publicBlob(pub);

        ByteArrayOutputStream priv = new ByteArrayOutputStream();
        int check = new SecureRandom().nextInt();
        putInt(priv, check);
        putInt(priv, check);
        putString(priv, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
        putString(priv, pub);
        byte[] secret = new byte[64];
        System.arraycopy(seed, 0, secret, 0, 32);
        System.arraycopy(pub, 0, secret, 32, 32);
        putString(priv, secret);
        Arrays.fill(secret, (byte) 0);
        putString(priv, comment.getBytes(StandardCharsets.UTF_8));
        for (int pad = 1; priv.size() % 8 != 0; pad++) {
            priv.write(pad);
        }

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
        putString(file, "none".getBytes(StandardCharsets.US_ASCII));
        putString(file, "none".getBytes(StandardCharsets.US_ASCII));
        putString(file, new byte[0]);
        putInt(file, 1);
        putString(file, blob);
        putString(file, priv.toByteArray());

        String b64 = Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(file.toByteArray());
        String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + b64 + "\n-----END OPENSSH PRIVATE KEY-----\n";
        String line = "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob) + " " + comment;
        return new Encoded(pem, line, blob);
    }

    static byte[] publicBlob(byte[] pub) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        putString(b, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
        putString(b, pub);
        return b.toByteArray();
    }

    private static void putInt(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    private static void putString(ByteArrayOutputStream o, byte[] s) {
        putInt(o, s.length);
        o.writeBytes(s);
    }
}
