package dev.virtualghost.examples;

import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.VsockException;
import dev.virtualghost.vsock.VsockTunnel;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Tunnels a guest vsock port to a local TCP port on loopback, like {@code ssh -L}: every local connection becomes a
 * {@code CONNECT <port>} on the VM's hybrid vsock socket (the {@code socket} of its {@code "vsock": {"cid": 3,
 * "socket": ...}} config) through a {@link HybridVsockDialer}, and {@link VsockTunnel} splices the bytes both ways.
 * Runs until interrupted (Ctrl-C), then closes the tunnel and every open connection.
 *
 * <pre>
 * usage: VsockTunnelExample &lt;vsock-socket&gt; &lt;guest-port&gt; [local-port]
 * </pre>
 *
 * <p>Without a local port the kernel picks a free one; the example prints it. Mistakes (no socket, a local port in
 * use) end with one line on stderr and exit status 1; a wrong command line exits with 2.
 */
public final class VsockTunnelExample {

    private VsockTunnelExample() {}

    /**
     * Runs the example until Ctrl-C; see the class Javadoc for the arguments.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(); // let run() close the tunnel before the JVM goes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        int status;
        try {
            status = run(args, System.out, System.err, stop);
        } finally {
            stopped.countDown();
        }
        System.exit(status);
    }

    /**
     * Runs the example until {@code stop} opens or the thread is interrupted.
     *
     * @param args the command line: {@code <vsock-socket> <guest-port> [local-port]}
     * @param out  where the example's own output goes (the first line names the local port)
     * @param err  where the error line goes
     * @param stop opened to close the tunnel and return
     * @return the exit status: 0 once stopped, 1 on an error, 2 on a wrong command line
     */
    public static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        if (args.length < 2 || args.length > 3) {
            err.println("usage: VsockTunnelExample <vsock-socket> <guest-port> [local-port]");
            return 2;
        }
        Path socket = Path.of(args[0]);
        int guestPort = port(args[1], 0, Integer.MAX_VALUE);
        int localPort = args.length > 2 ? port(args[2], 0, 65535) : 0;
        if (guestPort < 0 || localPort < 0) {
            err.println("error: ports are whole numbers: a guest vsock port of 0 or more, a local TCP port 0-65535");
            return 2;
        }
        if (!Files.exists(socket)) {
            err.println("error: " + socket + " does not exist (is the VM created with a vsock socket there?)");
            return 1;
        }
        HybridVsockDialer dialer = HybridVsockDialer.builder()
                .socket(socket)
                .deadline(Duration.ofSeconds(30)) // each connection waits up to 30 s for the guest to listen
                .build();
        try (VsockTunnel tunnel = VsockTunnel.builder()
                .dialer(dialer)
                .guestPort(guestPort)
                .tcp(InetAddress.getLoopbackAddress(), localPort)
                .build()) {
            out.println("forwarding 127.0.0.1:" + tunnel.localPort() + " -> guest vsock port " + guestPort
                    + " (Ctrl-C to stop)");
            out.flush();
            stop.await();
            out.println("stopped");
            return 0;
        } catch (VsockException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("stopped");
            return 0;
        }
    }

    private static int port(String text, int min, int max) {
        try {
            int p = Integer.parseInt(text);
            return p >= min && p <= max ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
