/**
 * A JUnit 5 extension that gives tests a VM started by {@link dev.virtualghost.launcher.Launcher}:
 * {@link dev.virtualghost.launcher.junit.VirtualGhostExtension}. Needs {@code junit-jupiter-api} on the test class
 * path (an optional dependency of the launcher).
 */
package dev.virtualghost.launcher.junit;
