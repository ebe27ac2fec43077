package dev.virtualghost.api;

import java.util.List;

/**
 * A module's contribution to the launcher's {@code doctor}: the checks it needs the host to pass.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/dev.virtualghost.api.HostCheckProvider} entry) and need a public no-argument
 * constructor. They must be cheap to create; the checks run later.
 */
public interface HostCheckProvider {

    /**
     * Returns the checks for a launch described by {@code context}, in the order to report them.
     *
     * @param context what the launch will ask of the host
     * @return the checks, possibly empty
     */
    List<HostCheck> checks(HostCheckContext context);
}
