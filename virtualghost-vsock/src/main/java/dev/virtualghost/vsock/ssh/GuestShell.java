package dev.virtualghost.vsock.ssh;

import com.jcraft.jsch.ChannelShell;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.virtualghost.vsock.ssh.GuestSshException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingInputStream;

/**
 * The interactive {@code shell} channel for {@link GuestSsh}: a PTY of the local terminal's type and size,
 * raw mode, SIGWINCH forwarded. Stateless; one shell per terminal at a time.
 */
final class GuestShell {

    private GuestShell() {}

    static int run(Session session, Terminal terminal, String where) {
        ChannelShell ch = null;
        Attributes saved = terminal.enterRawMode();
        Terminal.SignalHandler previous = null;
        try {
            ch = (ChannelShell) session.openChannel("shell");
            ChannelShell shell = ch;
            ch.setPty(true);
            String type = terminal.getType();
            ch.setPtyType(type == null || type.startsWith("dumb") ? "xterm-256color" : type);
            resize(shell, terminal);
            previous = terminal.handle(Terminal.Signal.WINCH, s -> resize(shell, terminal));
            ch.setOutputStream(terminal.output(), true);
            OutputStream toGuest = ch.getOutputStream();
            ch.connect(30_000);
            pumpKeys(ch, terminal.input(), toGuest);
            // Local input ended: pass the EOF on, so the remote shell can finish rather than wait for keys.
            toGuest.close();
            while (!ch.isClosed()) {
                Thread.sleep(5);
            }
            terminal.flush();
            return ch.getExitStatus();
        } catch (JSchException | IOException e) {
            throw new GuestSshException(Kind.EXEC, "ssh: shell " + where + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestSshException(Kind.EXEC, "ssh: shell " + where + " interrupted", e);
        } finally {
            if (ch != null) {
                ch.disconnect();
            }
            if (previous != null) {
                terminal.handle(Terminal.Signal.WINCH, previous);
            }
            terminal.setAttributes(saved);
        }
    }

    /**
     * Pumps keystrokes on the calling thread with a timed read, so no thread stays blocked on the terminal
     * after the remote shell exits (JSch's own input thread would).
     */
    private static void pumpKeys(ChannelShell ch, InputStream in, OutputStream toGuest) throws IOException {
        byte[] buf = new byte[4096];
        while (!ch.isClosed()) {
            int n;
            if (in instanceof NonBlockingInputStream nb) {
                int c = nb.read(20L);
                if (c < 0) {
                    if (c == NonBlockingInputStream.EOF) {
                        return;
                    }
                    continue;
                }
                buf[0] = (byte) c;
                n = 1;
                while (n < buf.length && nb.available() > 0) {
                    buf[n++] = (byte) nb.read();
                }
            } else {
                n = in.read(buf);
                if (n < 0) {
                    return;
                }
            }
            toGuest.write(buf, 0, n);
            toGuest.flush();
        }
    }

    private static void resize(ChannelShell ch, Terminal terminal) {
        Size s = terminal.getSize();
        int cols = s.getColumns() > 0 ? s.getColumns() : 80;
        int rows = s.getRows() > 0 ? s.getRows() : 24;
        ch.setPtySize(cols, rows, 0, 0);
    }
}
