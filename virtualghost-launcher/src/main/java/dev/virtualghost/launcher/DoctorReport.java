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

    /** Copies the list. */
    public DoctorReport {
        results = List.copyOf(Objects.requireNonNull(results, "results == null"));
    }

    /** Returns whether any check failed, so a launch would fail. */
    public boolean blocksLaunch() {
        return results.stream().anyMatch(r -> r.status().blocksLaunch());
    }

    /** Returns how many results have {@code status}. */
    public long count(CheckStatus status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
