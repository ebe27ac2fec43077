package dev.virtualghost.launcher;

import dev.virtualghost.api.CheckResult;
import dev.virtualghost.api.HostCheck;
import dev.virtualghost.api.HostCheckContext;
import dev.virtualghost.api.HostCheckProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every {@link HostCheck} that the modules on the class path contribute through
 * {@link HostCheckProvider} and collects the results into a {@link DoctorReport}.
 *
 * <p>Each check runs on its own daemon thread under a deadline, so one hung probe (an ioctl on a wedged
 * device, a binary that never answers {@code --version}) is reported as a failure instead of hanging the
 * doctor. A check that throws is reported as a failure with the exception's message. Instances are
 * immutable and thread-safe.
 */
public final class Doctor {
    private final List<HostCheckProvider> providers;
    private final Duration checkTimeout;

    private Doctor(List<HostCheckProvider> providers, Duration checkTimeout) {
        this.providers = List.copyOf(providers);
        this.checkTimeout = checkTimeout;
    }

    /**
     * A doctor over the providers found by {@link ServiceLoader} and a 10 s deadline per check.
     *
     * @return a doctor over every {@code HostCheckProvider} on the class path
     */
    public static Doctor fromClassPath() {
        List<HostCheckProvider> found = new ArrayList<>();
        ServiceLoader.load(HostCheckProvider.class, Doctor.class.getClassLoader())
                .forEach(found::add);
        found.sort((a, b) -> a.getClass().getName().compareTo(b.getClass().getName()));
        return new Doctor(found, Duration.ofSeconds(10));
    }

    /**
     * A doctor over the given providers, for embedding and tests.
     *
     * @param providers the providers to consult, in report order
     * @param checkTimeout how long one provider's checks may take
     * @return a new doctor
     */
    public static Doctor of(List<HostCheckProvider> providers, Duration checkTimeout) {
        Objects.requireNonNull(providers, "providers == null");
        Objects.requireNonNull(checkTimeout, "checkTimeout == null");
        if (checkTimeout.isNegative() || checkTimeout.isZero()) {
            throw new IllegalArgumentException("checkTimeout must be positive: " + checkTimeout);
        }
        return new Doctor(providers, checkTimeout);
    }

    /**
     * Returns the number of providers this doctor consults.
     *
     * @return the number of providers
     */
    public int providerCount() {
        return providers.size();
    }

    /**
     * Runs all checks for the launch described by {@code context}, in provider order.
     *
     * @param context the host and the launch the checks judge
     * @return every check's result, in provider order
     */
    public DoctorReport examine(HostCheckContext context) {
        Objects.requireNonNull(context, "context == null");
        List<HostCheck> checks = new ArrayList<>();
        for (HostCheckProvider provider : providers) {
            checks.addAll(provider.checks(context));
        }
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "virtualghost-doctor");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CheckResult>> futures = new ArrayList<>();
            for (HostCheck check : checks) {
                futures.add(pool.submit(check::run));
            }
            long deadline = System.nanoTime() + checkTimeout.toNanos();
            List<CheckResult> results = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                results.add(await(checks.get(i), futures.get(i), deadline));
            }
            return new DoctorReport(results);
        } finally {
            pool.shutdownNow();
        }
    }

    private CheckResult await(HostCheck check, Future<CheckResult> future, long deadline) {
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            CheckResult result = future.get(left, TimeUnit.NANOSECONDS);
            return result != null
                    ? result
                    : CheckResult.fail(check.name(), "the check returned no result", "report this as a bug");
        } catch (TimeoutException e) {
            future.cancel(true);
            return CheckResult.fail(
                    check.name(),
                    "no answer within " + checkTimeout.toMillis() + " ms",
                    "find out what hangs on this host (dmesg), then run doctor again");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return CheckResult.fail(
                    check.name(), "the check failed: " + cause, "report this as a bug, with the line above");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail(check.name(), "interrupted", "run doctor again");
        }
    }
}
