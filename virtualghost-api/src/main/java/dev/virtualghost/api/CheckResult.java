package dev.virtualghost.api;

import java.util.Objects;

/**
 * What one {@link HostCheck} found: a status, a one-line detail of what was seen, and for anything but
 * {@link CheckStatus#OK} a one-line remedy the user can act on. Immutable.
 *
 * @param check  the name of the check, e.g. {@code "vfio.iommu"}
 * @param status the outcome
 * @param detail what was observed, one line
 * @param remedy what to do about it, one line; empty when nothing needs doing
 */
public record CheckResult(String check, CheckStatus status, String detail, String remedy) {

    /**
     * Validates the fields.
     *
     * @param check  the name of the check, e.g. {@code "vfio.iommu"}
     * @param status the outcome
     * @param detail what was observed, one line
     * @param remedy what to do about it, one line; empty when nothing needs doing
     * @throws NullPointerException     if a field is null
     * @throws IllegalArgumentException if a non-OK result has no remedy
     */
    public CheckResult {
        Objects.requireNonNull(check, "check == null");
        Objects.requireNonNull(status, "status == null");
        Objects.requireNonNull(detail, "detail == null");
        Objects.requireNonNull(remedy, "remedy == null");
        if ((status == CheckStatus.FAIL || status == CheckStatus.WARN) && remedy.isBlank()) {
            throw new IllegalArgumentException(check + ": a " + status + " result needs a remedy");
        }
    }

    /**
     * A passing result.
     *
     * @param check  the name of the check
     * @param detail what was observed, one line
     * @return the result
     */
    public static CheckResult ok(String check, String detail) {
        return new CheckResult(check, CheckStatus.OK, detail, "");
    }

    /**
     * A warning with its remedy.
     *
     * @param check  the name of the check
     * @param detail what was observed, one line
     * @param remedy what to do about it, one line, not blank
     * @return the result
     */
    public static CheckResult warn(String check, String detail, String remedy) {
        return new CheckResult(check, CheckStatus.WARN, detail, remedy);
    }

    /**
     * A failure with its remedy.
     *
     * @param check  the name of the check
     * @param detail what was observed, one line
     * @param remedy what to do about it, one line, not blank
     * @return the result
     */
    public static CheckResult fail(String check, String detail, String remedy) {
        return new CheckResult(check, CheckStatus.FAIL, detail, remedy);
    }

    /**
     * A check that did not apply here, with the reason.
     *
     * @param check  the name of the check
     * @param reason why it did not apply, one line
     * @return the result
     */
    public static CheckResult skipped(String check, String reason) {
        return new CheckResult(check, CheckStatus.SKIPPED, reason, "");
    }

    /** Returns {@code "name: STATUS: detail (remedy)"}, one line. */
    @Override
    public String toString() {
        return check + ": " + status + ": " + detail + (remedy.isEmpty() ? "" : " (" + remedy + ")");
    }
}
