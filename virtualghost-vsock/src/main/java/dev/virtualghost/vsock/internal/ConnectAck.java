package dev.virtualghost.vsock.internal;

import dev.virtualghost.vsock.VsockHandshakeException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Locale;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.ConnectionResetSocketException;

/**
 * The muxer's answer to {@code CONNECT <port>\n} (CH {@code virtio-devices/src/vsock/unix/muxer.rs}): reads the
 * {@code OK <hostport>\n} line without reading past it, and parses it. Stateless.
 */
public final class ConnectAck {
    /** Longest ack line we accept; "OK 4294967295\n" is 14 bytes. */
    private static final int MAX_ACK = 32;

    private ConnectAck() {}

    /**
     * Reads up to and including '\n' one byte at a time: a buffered read could swallow the bytes the guest sends
     * right after the ack (an SSH server speaks first and CH may deliver both in one segment).
     *
     * @throws SocketTimeoutException   when {@code ackEnd} (System.nanoTime) passes first
     * @throws NotListeningYet          when the stream is closed or reset before the line ends
     * @throws VsockHandshakeException  when the line is longer than any ack
     */
    public static String readLine(AFUNIXSocket s, int port, long ackEnd, Path socket) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder(16);
        while (true) {
            // Re-arm before each byte, so a peer trickling bytes cannot stretch the wait past ackEnd.
            long left = ackEnd - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("ack deadline");
            }
            s.setSoTimeout(millis(left));
            int b;
            try {
                b = in.read();
            } catch (ConnectionResetSocketException e) {
                throw new NotListeningYet("closed before OK for port " + port + " (" + e.getMessage() + ")", e);
            }
            if (b < 0) {
                // CH closes the stream when no guest process listens on the port (yet).
                throw new NotListeningYet(
                        "closed before OK for port " + port + " (guest not listening yet?)",
                        new EOFException("EOF before the OK line"));
            }
            if (b == '\n') {
                return sb.toString();
            }
            sb.append((char) b);
            if (sb.length() > MAX_ACK) {
                throw new VsockHandshakeException(garbage(port, sb.toString(), socket));
            }
        }
    }

    /**
     * The host port of an {@code OK <n>} line.
     *
     * @throws VsockHandshakeException when the line is anything else
     */
    public static int parse(String line, int port, Path socket) {
        String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (l.toUpperCase(Locale.ROOT).startsWith("OK ")) {
            try {
                long n = Long.parseLong(l.substring(3).trim());
                if (n >= 0 && n <= 0xFFFF_FFFFL) {
                    return (int) n;
                }
            } catch (NumberFormatException e) {
                // fall through to the handshake error below
            }
        }
        throw new VsockHandshakeException(garbage(port, l, socket));
    }

    private static String garbage(int port, String reply, Path socket) {
        String shown = reply.length() > 40 ? reply.substring(0, 40) + "..." : reply;
        return "vsock: CONNECT " + port + " via " + socket + ": expected 'OK <port>', got '"
                + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'; is this a cloud-hypervisor hybrid vsock socket?";
    }

    /** Rounds up, and at least 1 ms: Java socket timeouts of 0 mean "forever". */
    private static int millis(long nanos) {
        long ms = (nanos + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }
}
