/**
 * JUnit 5 support: {@link dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor} runs a test only where a real
 * {@code cloud-hypervisor} is found, skipping it with the reason otherwise, or failing it under
 * {@code -Dvirtualghost.it.strict=true}. Needs {@code junit-jupiter-api} on the class path (an optional dependency
 * of the testkit).
 */
package dev.virtualghost.ch.testkit.junit;
