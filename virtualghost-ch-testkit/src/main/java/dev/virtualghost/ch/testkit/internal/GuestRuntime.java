package dev.virtualghost.ch.testkit.internal;

import dev.virtualghost.ch.testkit.PvhTestGuest;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs beside the simulated VMM's API: the guest (a {@link PvhTestGuest}'s power-off, on time), the VM's
 * hybrid vsock socket, and the VMM's own end after a guest power-off (unless {@code --no-shutdown}), with the
 * short window in which CH answers calls with its closed-channel chain.
 *
 * <p>Thread-safe. The owner closes it (before the model's VM is deleted).
 */
public final class GuestRuntime implements AutoCloseable {
    /** How long a VMM whose guest powered off keeps answering calls with the closed-channel chain, in ms. */
    public static final long EXIT_WINDOW_MS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(GuestRuntime.class);

    private final VmModel model;
    private final Map<Integer, SocketAddress> guestPorts;
    private final boolean noShutdown;
    private final Runnable vmmExit;
    private final ScheduledExecutorService clock;
    private GuestVsock vsock;
    private boolean closed;
    private volatile boolean exiting;

    /**
     * @param guestPorts where the guest's vsock ports lead; empty: no guest vsock driver
     * @param noShutdown CH's {@code --no-shutdown}: a guest power-off leaves the VMM running
     * @param vmmExit ends the VMM (runs on this runtime's thread)
     */
    public GuestRuntime(
            VmModel model, Map<Integer, SocketAddress> guestPorts, boolean noShutdown, Runnable vmmExit, String name) {
        this.model = model;
        this.guestPorts = Map.copyOf(guestPorts);
        this.noShutdown = noShutdown;
        this.vmmExit = vmmExit;
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-ch-guest " + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether the VMM is on its way out after a guest power-off (calls then get CH's closed-channel chain). */
    public boolean exiting() {
        return exiting;
    }

    /** Binds the VM's hybrid vsock socket while a VM with one is booted (as CH v54 does), else unbinds. */
    public synchronized void syncVsock() {
        if (closed) {
            return;
        }
        String wanted = model.vsockSocket();
        if (vsock != null && (wanted == null || !vsock.socket().equals(Path.of(wanted)))) {
            vsock.close();
            vsock = null;
        }
        if (vsock == null && wanted != null) {
            try {
                vsock = GuestVsock.bind(
                        Path.of(wanted), guestPorts, () -> !guestPorts.isEmpty() && model.guestHasVsockDriver());
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot bind the VM's vsock socket {}: {}", wanted, e.toString());
            }
        }
    }

    /** After a request: plays a test guest it booted, and the power-off it caused ({@code poweredOff}). */
    public void afterRequest(boolean poweredOff) {
        PvhTestGuest booted = model.takeBootedGuest();
        if (booted != null) {
            play(booted, model.bootGeneration());
        }
        if (poweredOff) {
            guestPoweredOff();
        }
    }

    /** Plays what a {@link PvhTestGuest} does after printing (its lines are already in the serial file). */
    private void play(PvhTestGuest guest, long generation) {
        switch (guest.mode()) {
            case POWER_OFF:
            case CRASH:
                // On the reference host a triple fault ends the VM as a power-off does (KVM reports an internal
                // error, CH logs it, shuts the VM down and exits 0): see PvhTestGuest.Mode.CRASH.
                schedulePowerOff(generation, Duration.ofMillis(1));
                break;
            case POWER_OFF_AFTER_DELAY:
                schedulePowerOff(generation, guest.powerOffDelay());
                break;
            default:
            // HALT: the guest idles until the API stops it.
        }
    }

    private void schedulePowerOff(long generation, Duration delay) {
        try {
            clock.schedule(
                    () -> {
                        Boolean done = model.guestPowerOff(generation);
                        if (done == null) {
                            // Paused: the vCPU runs nothing; the guest powers off once resumed.
                            schedulePowerOff(generation, Duration.ofMillis(10));
                        } else if (done) {
                            guestPoweredOff();
                        }
                    },
                    Math.max(1, delay.toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: the VMM is gone with its guest.
        }
    }

    /**
     * The guest powered off: like CH, the VMM ends (deleting the VM) unless started with --no-shutdown. For
     * {@value #EXIT_WINDOW_MS} ms before it stops serving, calls get the 500 chain a call racing CH's exit gets.
     */
    private void guestPoweredOff() {
        if (noShutdown) {
            return;
        }
        exiting = true;
        try {
            clock.schedule(vmmExit, EXIT_WINDOW_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Already closed.
        }
    }

    /** Stops the guest's clock and removes the vsock socket; idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        clock.shutdownNow();
        if (vsock != null) {
            vsock.close();
            vsock = null;
        }
    }
}
