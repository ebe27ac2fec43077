/**
 * Test support for code that drives Cloud Hypervisor: {@link dev.virtualghost.ch.testkit.FakeCloudHypervisor}, a
 * faithful simulator of CH's API socket (in-process, or as a stand-in {@code cloud-hypervisor} child process through
 * {@link dev.virtualghost.ch.testkit.FakeCloudHypervisor#installLauncher(java.nio.file.Path)} and
 * {@link dev.virtualghost.ch.testkit.FakeCloudHypervisorMain}); {@link dev.virtualghost.ch.testkit.PvhTestGuest}, a
 * tiny guest kernel the real VMM boots; and {@link dev.virtualghost.ch.testkit.CloudHypervisorBinary}, which finds a
 * real {@code cloud-hypervisor} for tests.
 *
 * <p>Whoever starts a simulator closes it; files the testkit writes ({@code installLauncher}, {@code writeTo}) belong
 * to the caller. Each type states its own thread-safety.
 */
package dev.virtualghost.ch.testkit;
