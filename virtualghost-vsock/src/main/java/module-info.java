/**
 * Reaches a guest over Cloud Hypervisor's hybrid vsock (a Unix socket speaking {@code CONNECT <port>}):
 * connections, listeners, TCP/Unix tunnels, and SSH into the guest with pinned host keys.
 *
 * <p>Only {@code dev.virtualghost.vsock} and {@code dev.virtualghost.vsock.ssh} are API; the
 * {@code internal} packages are sealed.
 */
module dev.virtualghost.vsock {
    requires transitive dev.virtualghost.api;
    requires org.newsclub.net.unix;
    requires com.sun.jna;
    requires com.jcraft.jsch;
    requires org.jline.terminal;
    requires org.slf4j;

    exports dev.virtualghost.vsock;
    exports dev.virtualghost.vsock.ssh;

    // JNA implements the native interfaces (LibC, RelayLibC) and their structures by reflection.
    opens dev.virtualghost.vsock.internal to
            com.sun.jna;
}
