package dev.virtualghost.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.vsock.testing.EchoServer;
import dev.virtualghost.vsock.testing.FakeHybridVsock;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dialer against {@link FakeHybridVsock}, which answers CONNECT the way CH's muxer.rs does. */
class HybridVsockDialerTest {

  private FakeHybridVsock vsock;
  private EchoServer echo;

  @BeforeEach
  void start() throws Exception {
    vsock = FakeHybridVsock.start();
    echo = EchoServer.start(EchoServer.Mode.ECHO);
  }

  @AfterEach
  void stop() throws Exception {
    echo.close();
    vsock.close();
  }

  private HybridVsockDialer.Builder dialer() {
    return HybridVsockDialer.builder().socket(vsock.socket())
        .dialTimeout(Duration.ofSeconds(1)).ackTimeout(Duration.ofSeconds(1))
        .retryInterval(Duration.ofMillis(50)).deadline(Duration.ofSeconds(5));
  }

  @Test
  void dialReturnsHostPortFromAckAndCarriesBytes() throws Exception {
    vsock.listen(1234, echo.address(), false);
    try (VsockConnection c = dialer().build().dial(1234)) {
      // muxer.rs allocates host-side ports from 1 << 30 upwards.
      assertThat(c.hostPort()).isGreaterThanOrEqualTo(1 << 30);
      assertThat(c.guestPort()).isEqualTo(1234);
      c.outputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
      c.shutdownOutput();
      assertThat(new String(c.inputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ping");
    }
  }

  @Test
  void guestFirstBytesInTheAckSegmentAreNotSwallowed() throws Exception {
    // A guest that speaks first (like sshd): the fake sends "OK n\n" and this banner in ONE write.
    try (ServerSocket banner = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = banner.accept(); OutputStream out = s.getOutputStream()) {
          out.write("SSH-2.0-Fake\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          s.getInputStream().read();
        } catch (Exception ignored) {
          // test side asserts
        }
      });
      t.start();
      vsock.listen(22, new InetSocketAddress(InetAddress.getLoopbackAddress(), banner.getLocalPort()), true);
      try (VsockConnection c = dialer().build().dial(22)) {
        InputStream in = c.inputStream();
        byte[] got = in.readNBytes("SSH-2.0-Fake\r\n".length());
        assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-Fake\r\n");
      }
      t.join(5000);
    }
  }

  @Test
  void dialRetriesUntilGuestListens() {
    vsock.listenAfter(5000, echo.address(), false, Duration.ofMillis(400));
    long start = System.nanoTime();
    try (VsockConnection c = dialer().build().dial(5000)) {
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
      assertThat(vsock.connectRequests()).isGreaterThan(1);
      assertThat(c.isClosed()).isFalse();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void dialRetriesUntilSocketFileAppears() throws Exception {
    java.nio.file.Path missing = vsock.socket().resolveSibling("later.sock");
    HybridVsockDialer d = dialer().socket(missing).deadline(Duration.ofMillis(300)).build();
    assertThatThrownBy(() -> d.dial(1)).isInstanceOf(VsockDialException.class)
        .hasMessageContaining("later.sock");
  }

  @Test
  void deadlineExceededSaysAttemptsAndElapsed() {
    HybridVsockDialer d = dialer().deadline(Duration.ofMillis(500)).build();
    long start = System.nanoTime();
    assertThatThrownBy(() -> d.dial(4321))
        .isInstanceOfSatisfying(VsockDialException.class, e -> {
          assertThat(e.attempts()).isGreaterThan(2);
          assertThat(e.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(450));
          assertThat(e.getMessage()).contains(e.attempts() + " attempts").contains(" ms").contains("4321");
          assertThat(e.getCause()).isNotNull();
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void garbageInsteadOfOkIsAHandshakeErrorAtOnce() {
    vsock.answerGarbage(77, "HTTP/1.1 400 Bad Request\r\n\r\n");
    long start = System.nanoTime();
    assertThatThrownBy(() -> dialer().deadline(Duration.ofSeconds(10)).build().dial(77))
        .isInstanceOf(VsockHandshakeException.class)
        .hasMessageContaining("77");
    assertThat(vsock.connectRequests()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void builderRejectsMisuse() {
    assertThatThrownBy(() -> HybridVsockDialer.builder().build()).isInstanceOfAny(
        NullPointerException.class, IllegalStateException.class);
    assertThatThrownBy(() -> HybridVsockDialer.builder().deadline(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dialer().build().dial(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
