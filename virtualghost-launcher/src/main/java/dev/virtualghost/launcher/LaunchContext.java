package dev.virtualghost.launcher;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the {@link Step}s of one launch share: the {@link LaunchSpec}, typed resources put by earlier steps
 * ({@link Keys}), the {@link Undos} stack, the launch deadline and a cancellation flag.
 *
 * <p>Thread-safe: {@link #cancel} may be called from a signal handler or another thread while a step runs;
 * waiting steps poll {@link #checkCancelled()}. {@link #hurry()} asks the unwind to skip the graceful guest
 * shutdown (a second Ctrl-C) while still restoring devices.
 */
public final class LaunchContext {
    private final LaunchSpec spec;
    private final Undos undos;
    private final long deadlineNanos;
    private final Map<Key<?>, Object> resources = new ConcurrentHashMap<>();
    private volatile String cancelReason;
    private volatile boolean hurry;

    LaunchContext(LaunchSpec spec, Undos undos, Duration launchTimeout) {
        this.spec = Objects.requireNonNull(spec, "spec == null");
        this.undos = Objects.requireNonNull(undos, "undos == null");
        this.deadlineNanos = System.nanoTime() + launchTimeout.toNanos();
    }

    /**
     * The launch's specification.
     *
     * @return the spec of this launch
     */
    public LaunchSpec spec() {
        return spec;
    }

    /**
     * Where a step registers the undo of each thing it acquires.
     *
     * @return the launch's undo stack
     */
    public Undos undos() {
        return undos;
    }

    /**
     * Puts a resource; replaces an earlier one under the same key.
     *
     * @param <T> the resource's type
     * @param key the resource's key
     * @param value the resource; the context holds it but does not close it (an undo does)
     */
    public <T> void put(Key<T> key, T value) {
        resources.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
    }

    /**
     * The resource under {@code key}, if a step put one.
     *
     * @param <T> the resource's type
     * @param key the resource's key
     * @return the resource, or empty when no step put one
     */
    public <T> Optional<T> get(Key<T> key) {
        return Optional.ofNullable(key.type().cast(resources.get(key)));
    }

    /**
     * The resource under {@code key}.
     *
     * @param <T> the resource's type
     * @param key the resource's key
     * @return the resource
     * @throws IllegalStateException naming the key when no earlier step put it (a step list edited wrongly)
     */
    public <T> T require(Key<T> key) {
        return get(key).orElseThrow(() -> new IllegalStateException(
                "no " + key.name() + " in the launch context: a step that provides it must run before this one"));
    }

    /**
     * Time left until the launch deadline, never negative.
     *
     * @return the time left; {@link Duration#ZERO} once the deadline passed
     */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /**
     * Asks the running and later steps to stop; the first reason wins.
     *
     * @param reason why, e.g. {@code "interrupted (SIGINT)"}; becomes the {@link LaunchCancelledException}'s message
     */
    public void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = Objects.requireNonNull(reason, "reason == null");
        }
    }

    /**
     * True once {@link #cancel} was called.
     *
     * @return whether the launch was cancelled
     */
    public boolean isCancelled() {
        return cancelReason != null;
    }

    /**
     * Throws if the launch was cancelled or its deadline passed; steps call this between waits.
     *
     * @throws LaunchCancelledException with the reason
     */
    public void checkCancelled() {
        String reason = cancelReason;
        if (reason != null) {
            throw new LaunchCancelledException(reason);
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new LaunchCancelledException("the launch did not finish within its timeout; "
                    + "raise it with --timeout (or LaunchSpec.launchTimeout)");
        }
    }

    /** Asks the unwind to skip the graceful guest shutdown (devices are still restored). */
    public void hurry() {
        hurry = true;
    }

    /**
     * True once {@link #hurry()} was called.
     *
     * @return whether the unwind should skip the graceful guest shutdown
     */
    public boolean hurried() {
        return hurry;
    }
}
