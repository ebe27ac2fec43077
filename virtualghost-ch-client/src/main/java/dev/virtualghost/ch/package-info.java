/**
 * The Cloud Hypervisor client: {@link dev.virtualghost.ch.ChClient} for the REST API, its sealed
 * {@link dev.virtualghost.ch.ChException} family, and the host check for the {@code cloud-hypervisor} binary.
 */
package dev.virtualghost.ch;
