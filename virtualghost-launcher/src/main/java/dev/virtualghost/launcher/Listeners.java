package dev.virtualghost.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls listeners so that one that throws can neither stop a launch nor its unwinding. */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {}

    static void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
            LOG.warn("a LaunchListener threw; ignored: {}", e.toString());
        }
    }
}
