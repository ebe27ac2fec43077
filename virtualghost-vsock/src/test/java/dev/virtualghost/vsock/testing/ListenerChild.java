package dev.virtualghost.vsock.testing;

import dev.virtualghost.vsock.HybridVsockListener;
import java.nio.file.Path;

/**
 * A process that opens a {@link HybridVsockListener} and then waits to be killed, leaving its socket file behind
 * as a JVM killed with SIGKILL does. Arguments: the vsock socket path, the port. Prints {@code LISTENING <path>}.
 */
public final class ListenerChild {
    private ListenerChild() {}

    public static void main(String[] args) throws Exception {
        HybridVsockListener l = HybridVsockListener.open(Path.of(args[0]), Integer.parseInt(args[1]), c -> {});
        System.out.println("LISTENING " + l.path());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
