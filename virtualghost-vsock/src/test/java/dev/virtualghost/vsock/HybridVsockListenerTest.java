package dev.virtualghost.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.vsock.internal.HalfClose;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Guest-to-host connections: CH connects to {@code <socket>_<port>} on the host when the guest connects to
 * CID 2 port {@code port} (spec README "Hybrid vsock"); here the test plays CH and connects to that file.
 */
class HybridVsockListenerTest {

  @TempDir Path dir;

  @Test
  void handsEachConnectionToHandlerAndRemovesSocketFileOnClose() throws Exception {
    Path vsock = dir.resolve("vsock.sock");
    BlockingQueue<String> got = new ArrayBlockingQueue<>(4);
    Path file;
    try (HybridVsockListener l = HybridVsockListener.open(vsock, 1025, c -> {
      InputStream in = c.getInputStream();
      got.add(new String(in.readAllBytes(), StandardCharsets.US_ASCII) + "@" + Thread.currentThread().getName());
      c.getOutputStream().write('!');
    })) {
      file = l.path();
      assertThat(file).isEqualTo(dir.resolve("vsock.sock_1025"));
      assertThat(Files.exists(file)).isTrue();
      for (String msg : new String[] {"one", "two"}) {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(file))) {
          s.getOutputStream().write(msg.getBytes(StandardCharsets.US_ASCII));
          HalfClose.shutdownOutput(s);
          assertThat(s.getInputStream().read()).isEqualTo('!');
        }
      }
      String a = got.poll(5, TimeUnit.SECONDS);
      String b = got.poll(5, TimeUnit.SECONDS);
      assertThat(a).startsWith("one@").doesNotEndWith("@" + Thread.currentThread().getName());
      assertThat(b).startsWith("two@");
    }
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void secondListenerOnSamePortFailsClearly() {
    Path vsock = dir.resolve("v.sock");
    try (HybridVsockListener l = HybridVsockListener.open(vsock, 9, c -> { })) {
      assertThatThrownBy(() -> HybridVsockListener.open(vsock, 9, c -> { }))
          .isInstanceOf(VsockIoException.class).hasMessageContaining("v.sock_9");
      assertThat(Files.exists(l.path())).isTrue();
    }
  }
}
