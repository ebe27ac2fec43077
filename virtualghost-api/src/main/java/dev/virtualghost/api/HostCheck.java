package dev.virtualghost.api;

/**
 * One read-only probe of the host (IOMMU on, {@code /dev/kvm} usable, memlock limit, ...).
 *
 * <p>Implementations never change the host, never throw for a host that is merely not ready (that is a
 * {@link CheckStatus#FAIL} result with a remedy), and must be safe to call from any thread.
 */
public interface HostCheck {

    /**
     * A short dotted name, e.g. {@code "kvm.device"}; stable, used in reports and tests.
     *
     * @return the name
     */
    String name();

    /**
     * Runs the probe.
     *
     * @return what it found
     */
    CheckResult run();

    /**
     * Creates a check from a name and a function, for small checks and tests.
     *
     * @param name  the check's name
     * @param probe runs the probe
     * @return the check
     */
    static HostCheck of(String name, java.util.function.Supplier<CheckResult> probe) {
        java.util.Objects.requireNonNull(name, "name == null");
        java.util.Objects.requireNonNull(probe, "probe == null");
        return new HostCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult run() {
                return probe.get();
            }

            @Override
            public String toString() {
                return "HostCheck[" + name + "]";
            }
        };
    }
}
