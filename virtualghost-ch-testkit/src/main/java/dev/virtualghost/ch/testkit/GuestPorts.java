package dev.virtualghost.ch.testkit;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Parses {@code VIRTUALGHOST_FAKE_GUEST_VSOCK} ({@code <port>=tcp:<host>:<port>} or {@code <port>=unix:<path>},
 * comma separated) into {@link FakeCloudHypervisor.Builder#guestVsockPort} calls. Stateless.
 */
final class GuestPorts {
    private GuestPorts() {}

    /**
     * Applies {@code spec} (null or blank: nothing) to {@code builder}.
     *
     * @throws IllegalArgumentException naming the bad entry and the expected form
     */
    static void parse(String spec, FakeCloudHypervisor.Builder builder) {
        if (spec == null || spec.isBlank()) {
            return;
        }
        for (String entry : spec.split(",")) {
            String e = entry.trim();
            int eq = e.indexOf('=');
            try {
                int port = Integer.parseInt(e.substring(0, eq));
                String target = e.substring(eq + 1);
                if (target.startsWith("unix:")) {
                    builder.guestVsockPort(port, Path.of(target.substring(5)));
                } else if (target.startsWith("tcp:")) {
                    String hostPort = target.substring(4);
                    int colon = hostPort.lastIndexOf(':');
                    builder.guestVsockPort(
                            port,
                            new InetSocketAddress(
                                    hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
                } else {
                    throw new IllegalArgumentException("unknown target");
                }
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException(
                        "VIRTUALGHOST_FAKE_GUEST_VSOCK entry '" + e
                                + "' is not <port>=tcp:<host>:<port> or <port>=unix:<path>",
                        ex);
            }
        }
    }
}
