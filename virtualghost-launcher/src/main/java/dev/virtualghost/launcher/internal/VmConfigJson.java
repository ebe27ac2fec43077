package dev.virtualghost.launcher.internal;

import dev.virtualghost.ch.ChJson;
import dev.virtualghost.ch.model.VmConfig;

/** The exact JSON the client sends with {@code vm.create}, for {@code run --dry-run}. */
public final class VmConfigJson {
    private VmConfigJson() {}

    /**
     * The {@code vm.create} body of {@code config}.
     *
     * @param config the VM configuration
     * @return the JSON body
     */
    public static String write(VmConfig config) {
        return ChJson.toJson(config);
    }
}
