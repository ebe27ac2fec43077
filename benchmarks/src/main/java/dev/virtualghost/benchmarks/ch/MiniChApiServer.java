package dev.virtualghost.benchmarks.ch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A minimal keep-alive HTTP/1.1 server on a Unix socket that answers {@code GET /api/v1/vmm.ping} and
 * {@code GET /api/v1/vm.info} with fixed CH-like bodies, one thread per connection.
 *
 * <p>It stands for CH's API server only as far as the benchmark needs: CH reads a request by its
 * {@code Content-Length} and answers 200 with {@code Content-Type: application/json} and a
 * {@code Content-Length}, keeping the connection open (CH's micro_http server). Answers are pre-encoded so the
 * server costs the same for both sides of the comparison. Optionally it answers the way CH is built: its HTTP
 * thread hands every request to the VMM thread and waits for the reply (vmm/src/api/mod.rs), so each call
 * also pays two thread hand-offs inside the server, as it does against a real CH. Not thread-safe to start;
 * {@link #close()} stops it and removes the socket file.
 */
final class MiniChApiServer implements AutoCloseable {

    static final String PING_BODY = "{\"build_version\":\"v53.0\",\"version\":\"53.0.0\",\"pid\":4242,"
            + "\"features\":[\"kvm\",\"io_uring\"]}";
    static final String INFO_BODY = "{\"config\":{\"cpus\":{\"boot_vcpus\":2,\"max_vcpus\":2},"
            + "\"memory\":{\"size\":1073741824,\"shared\":false,\"hugepages\":false},"
            + "\"payload\":{\"kernel\":\"/boot/vmlinux\",\"cmdline\":\"console=hvc0 root=/dev/vda1\"},"
            + "\"disks\":[{\"path\":\"/var/lib/vg/rootfs.img\",\"readonly\":false,\"id\":\"_disk0\"}],"
            + "\"devices\":[{\"path\":\"/sys/bus/pci/devices/0000:01:00.0/\",\"id\":\"gpu0\",\"iommu\":false}],"
            + "\"vsock\":{\"cid\":3,\"socket\":\"/run/vg/vsock.sock\",\"id\":\"_vsock0\"},"
            + "\"console\":{\"mode\":\"Off\"},\"serial\":{\"mode\":\"Tty\"}},"
            + "\"state\":\"Running\",\"memory_actual_size\":1073741824,"
            + "\"device_tree\":{\"gpu0\":{\"id\":\"gpu0\",\"children\":[],\"pci_bdf\":\"0000:00:04.0\"}}}";

    private static final byte[] PING = response(PING_BODY);
    private static final byte[] INFO = response(INFO_BODY);
    private static final byte[] NOT_FOUND =
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Path socket;
    private final AFUNIXServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final VmmThread vmm;

    /**
     * Starts serving on {@code socket}.
     *
     * @param vmmThread answer from a second thread, as CH does, instead of from the connection's thread
     */
    MiniChApiServer(Path socket, boolean vmmThread) throws IOException {
        this.socket = socket;
        this.vmm = vmmThread ? new VmmThread() : null;
        this.server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socket));
        Thread acceptor = new Thread(this::acceptLoop, "mini-ch-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static byte[] response(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 200 OK\r\nServer: Cloud Hypervisor API\r\nConnection: keep-alive\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "mini-ch-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s;
                InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
                OutputStream out = s.getOutputStream()) {
            StringBuilder line = new StringBuilder(128);
            while (true) {
                String requestLine = readLine(in, line);
                if (requestLine == null) {
                    return;
                }
                long contentLength = 0;
                String header;
                while ((header = readLine(in, line)) != null && !header.isEmpty()) {
                    if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        contentLength = Long.parseLong(header.substring(15).trim());
                    }
                }
                if (header == null) {
                    return;
                }
                in.skipNBytes(contentLength);
                out.write(vmm == null ? answer(requestLine) : vmm.call(requestLine));
                out.flush();
            }
        } catch (IOException e) {
            // connection closed by the client or by close(): nothing to report in a benchmark fixture
        } finally {
            connections.remove(s);
        }
    }

    private static byte[] answer(String requestLine) {
        if (requestLine.startsWith("GET /api/v1/vmm.ping ")) {
            return PING;
        }
        if (requestLine.startsWith("GET /api/v1/vm.info ")) {
            return INFO;
        }
        return NOT_FOUND;
    }

    /**
     * CH's split between its HTTP thread and its VMM thread (vmm/src/api/mod.rs): the HTTP thread sends each
     * request, with a fresh response channel, to the VMM thread and blocks on that channel for the answer.
     */
    private static final class VmmThread {
        private record Call(String requestLine, SynchronousQueue<byte[]> reply) {}

        private final BlockingQueue<Call> requests = new LinkedBlockingQueue<>();
        private final Thread thread = new Thread(this::run, "mini-ch-vmm");

        VmmThread() {
            thread.setDaemon(true);
            thread.start();
        }

        byte[] call(String requestLine) throws IOException {
            Call c = new Call(requestLine, new SynchronousQueue<>());
            try {
                requests.put(c);
                return c.reply().take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("server stopping");
            }
        }

        private void run() {
            try {
                while (true) {
                    Call c = requests.take();
                    c.reply().put(answer(c.requestLine()));
                }
            } catch (InterruptedException stopping) {
                // close()
            }
        }

        void stop() {
            thread.interrupt();
        }
    }

    /** Reads one CRLF-terminated line as ASCII, or null at end of stream. */
    private static String readLine(InputStream in, StringBuilder sb) throws IOException {
        sb.setLength(0);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (vmm != null) {
            vmm.stop();
        }
        for (Socket s : connections) {
            s.close();
        }
        Files.deleteIfExists(socket);
    }
}
