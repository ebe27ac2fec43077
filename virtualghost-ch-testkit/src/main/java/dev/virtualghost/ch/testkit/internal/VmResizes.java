package dev.virtualghost.ch.testkit.internal;

import dev.virtualghost.ch.testkit.internal.VmModel.Reply;
import java.util.List;
import java.util.Map;

/**
 * {@code vm.resize}, {@code vm.resize-disk} and {@code vm.resize-zone} for {@link VmModel}, as measured on CH v54:
 * before boot a resize only edits the config; after, vCPUs beyond {@code max_vcpus} fail with the CPU manager's
 * chain (after {@code vm resizing}), a vCPU removal still pending answers 429, an unknown zone fails.
 *
 * <p>Stateless; the model's lock is held by its caller ({@link VmModel#handle}).
 */
final class VmResizes {
    private VmResizes() {}

    static Reply resize(VmModel m, Object body) throws ApiFailure {
        String what = "The VM could not be resized";
        if (m.config == null) {
            throw ApiFailure.api(404, what, VmModel.NOT_CREATED);
        }
        Map<String, Object> cpus = Json.object(m.config, "cpus");
        if (m.state != VmModel.State.Running && m.state != VmModel.State.Paused) {
            // Not booted: CH only edits the config (measured: 204, no event).
            Long vcpus = Json.number(body, "desired_vcpus");
            if (vcpus != null) {
                cpus.put("boot_vcpus", vcpus);
            }
            Long ram = Json.number(body, "desired_ram");
            if (ram != null) {
                Json.object(m.config, "memory").put("size", ram);
                m.memoryActual = ram;
            }
            return Reply.noContent();
        }
        Long desiredVcpus = Json.number(body, "desired_vcpus");
        if (desiredVcpus != null) {
            long max = VmModel.orElse(Json.number(cpus, "max_vcpus"), 1L);
            long current = VmModel.orElse(Json.number(cpus, "boot_vcpus"), 1L);
            if (desiredVcpus > max) {
                m.emit("resizing");
                throw ApiFailure.api(500, what, "Error from CPU manager", "Requested vCPUs exceed maximum");
            }
            if (desiredVcpus < current && m.vcpuRemovalPending) {
                // CH answers 429 while the guest has not yet ejected the vCPUs of a previous removal.
                throw ApiFailure.api(
                        429,
                        what,
                        "Error resizing VM",
                        "Failed resizing vCPUs",
                        "Cannot remove vCPUs while a previous removal is pending");
            }
            m.vcpuRemovalPending = desiredVcpus < current;
        }
        m.emit("resizing");
        if (desiredVcpus != null) {
            cpus.put("boot_vcpus", desiredVcpus);
        }
        Long ram = Json.number(body, "desired_ram");
        if (ram != null) {
            m.memoryActual = ram;
        }
        m.emit("resized");
        return Reply.noContent();
    }

    static Reply resizeDisk(VmModel m, Object body) throws ApiFailure {
        String what = "The disk could not be resized";
        m.requireBooted(what);
        String id = Json.string(body, "id");
        if (m.devices.find(m.config, id) == null) {
            throw ApiFailure.api(500, what, "Could not find device with id " + id);
        }
        return Reply.noContent();
    }

    @SuppressWarnings("unchecked")
    static Reply resizeZone(VmModel m, Object body) throws ApiFailure {
        String what = "The memory zone could not be resized";
        m.requireBooted(what);
        String id = Json.string(body, "id");
        Object zones = Json.object(m.config, "memory") == null
                ? null
                : Json.object(m.config, "memory").get("zones");
        if (zones instanceof List<?> list) {
            for (Object z : list) {
                if (id != null && id.equals(Json.string(z, "id"))) {
                    ((Map<String, Object>) z).put("size", Json.number(body, "desired_ram"));
                    return Reply.noContent();
                }
            }
        }
        throw ApiFailure.api(500, what, "Failed resizing a memory zone");
    }
}
