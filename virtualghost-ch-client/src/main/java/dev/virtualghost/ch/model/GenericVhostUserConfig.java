package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;

/**
 * A virtio device of any type served entirely by a vhost-user backend; CH only relays its queues and configuration.
 *
 * <p>Mirrors the {@code GenericVhostUserConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param socket Unix socket of the vhost-user backend; required
 * @param queueSizes entries of each of the device's queues, one per queue
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one when absent
 * @param deviceType the virtio device type number the guest sees (e.g. 26 for virtio-fs); required
 */
public record GenericVhostUserConfig(
        String socket,
        @Json(name = "queue_sizes") List<Integer> queueSizes,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id,
        @Json(name = "device_type") Long deviceType) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param socket Unix socket of the vhost-user backend; required
     * @param queueSizes entries of each of the device's queues, one per queue
     * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
     * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
     * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one when absent
     * @param deviceType the virtio device type number the guest sees (e.g. 26 for virtio-fs); required
     */
    public GenericVhostUserConfig {
        queueSizes = Copies.list(queueSizes);
    }
}
