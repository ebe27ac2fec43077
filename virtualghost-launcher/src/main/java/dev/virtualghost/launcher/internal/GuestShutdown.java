package dev.virtualghost.launcher.internal;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChException;
import dev.virtualghost.ch.ChProcess;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful end of a guest: {@code vm.power-button}, wait for the VMM to exit (CH exits by itself when the
 * guest powers off), then {@code vm.shutdown} if the guest ignored the button. Errors are logged, not thrown:
 * the VMM's stop escalation runs next whatever happens here.
 */
public final class GuestShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(GuestShutdown.class);
    private static final Duration POLL = Duration.ofMillis(20);

    private GuestShutdown() {}

    /**
     * Runs the sequence; {@code hurried} true skips it (checked between phases).
     *
     * @param ch the VMM process
     * @param client the VMM's API client
     * @param grace how long to wait for the guest after the power button
     * @param hurried true to skip the graceful shutdown
     * @throws InterruptedException if interrupted while waiting
     */
    public static void run(ChProcess ch, ChClient client, Duration grace, BooleanSupplier hurried)
            throws InterruptedException {
        if (!ch.isAlive() || hurried.getAsBoolean()) {
            return;
        }
        try {
            client.powerButton();
        } catch (ChException e) {
            // No running guest to press the button for (or no API): go straight to vm.shutdown.
            LOG.debug("vm.power-button: {}", e.getMessage());
            grace = Duration.ZERO;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (ch.isAlive() && System.nanoTime() - deadline < 0 && !hurried.getAsBoolean()) {
            Thread.sleep(POLL.toMillis());
        }
        if (!ch.isAlive() || hurried.getAsBoolean()) {
            return;
        }
        try {
            client.shutdown();
        } catch (ChException e) {
            LOG.debug("vm.shutdown: {}", e.getMessage());
        }
    }
}
