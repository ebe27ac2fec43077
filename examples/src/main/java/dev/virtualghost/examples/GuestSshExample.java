package dev.virtualghost.examples;

import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.VsockException;
import dev.virtualghost.vsock.ssh.ExecResult;
import dev.virtualghost.vsock.ssh.GuestSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs one command in a guest over Cloud Hypervisor's hybrid vsock with {@link GuestSsh}: no TCP, the guest's
 * host key pinned from a known_hosts file, the user's key from a private key file. Prints the command's stdout
 * and stderr and exits with its exit status.
 *
 * <pre>
 * usage: GuestSshExample &lt;vsock-socket&gt; &lt;known-hosts&gt; &lt;private-key&gt; &lt;user&gt; &lt;command&gt;
 * </pre>
 *
 * <p>{@code vsock-socket} is the {@code socket} of the VM's {@code "vsock": {"cid": 3, "socket": ...}} config; the
 * guest's sshd must listen on vsock port 22 (e.g. {@code sshd -o ListenAddress=vsock:...} or a socket-activated
 * unit). {@code known-hosts} holds the guest's host key under the name {@code guest}. Mistakes end with one line on
 * stderr and exit status 255; a wrong command line exits with 2.
 */
public final class GuestSshExample {

    private GuestSshExample() {}

    /** Runs the example; see the class Javadoc for the arguments. */
    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: GuestSshExample <vsock-socket> <known-hosts> <private-key> <user> <command>");
            System.exit(2);
        }
        Path knownHosts = Path.of(args[1]);
        Path key = Path.of(args[2]);
        for (Path p : new Path[] {knownHosts, key}) {
            if (!Files.isReadable(p)) {
                System.err.println("error: cannot read " + p);
                System.exit(255);
            }
        }
        HybridVsockDialer dialer = HybridVsockDialer.builder()
                .socket(Path.of(args[0]))
                .deadline(Duration.ofSeconds(60)) // the guest may still be booting: retry until sshd listens
                .build();
        try (GuestSsh ssh = GuestSsh.builder()
                .dialer(dialer)
                .user(args[3])
                .knownHosts(knownHosts, "guest")
                .identityFile(key)
                .connect()) {
            ExecResult r = ssh.exec(args[4], Duration.ofMinutes(1));
            System.out.print(r.stdoutText());
            System.err.print(r.stderrText());
            System.exit(r.exitStatus());
        } catch (VsockException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(255);
        }
    }
}
