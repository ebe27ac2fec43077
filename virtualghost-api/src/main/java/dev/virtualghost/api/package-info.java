/**
 * Types shared by two or more VirtualGhost modules: the validated {@link dev.virtualghost.api.PciAddress},
 * the unchecked root exception {@link dev.virtualghost.api.VirtualGhostException}, and the host-check SPI
 * ({@link dev.virtualghost.api.HostCheck}, {@link dev.virtualghost.api.CheckResult},
 * {@link dev.virtualghost.api.HostCheckProvider}) that the launcher's {@code doctor} aggregates.
 *
 * <p>This package has no third-party dependency and holds no utilities.
 */
package dev.virtualghost.api;
