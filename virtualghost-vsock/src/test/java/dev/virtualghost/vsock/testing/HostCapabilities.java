package dev.virtualghost.vsock.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** Skips (or, with {@code -Dvirtualghost.it.strict=true}, fails) tests whose host part is missing. */
public final class HostCapabilities {
    private HostCapabilities() {}

    public static boolean strict() {
        return Boolean.getBoolean("virtualghost.it.strict");
    }

    public static void assumeSshd() {
        if (!Sshd.available()) {
            String why =
                    Sshd.SSHD + " not installed (apt-get install openssh-server): skipping tests against a real sshd";
            if (strict()) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }
}
