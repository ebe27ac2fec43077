package dev.virtualghost.launcher;

import dev.virtualghost.api.CheckResult;
import dev.virtualghost.api.CheckStatus;
import java.util.List;
import java.util.Objects;

/**
 * The results of one {@link Doctor#examine} run, in report order. Immutable.
 *
 * @param results one result per check
 */
public record DoctorReport(List<CheckResult> results) {

    /**
     * Copies the list.
     *
     * @param results one result per check
     */
    public DoctorReport {
        results = List.copyOf(Objects.requireNonNull(results, "results == null"));
    }

    /**
     * Returns whether any check failed, so a launch would fail.
     *
     * @return true if at least one result has status {@code FAIL}
     */
    public boolean blocksLaunch() {
        return results.stream().anyMatch(r -> r.status().blocksLaunch());
    }

    /**
     * Returns how many results have {@code status}.
     *
     * @param status the status to count
     * @return the number of results with that status
     */
    public long count(CheckStatus status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
