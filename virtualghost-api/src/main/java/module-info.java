/**
 * Dependency-free types shared by every VirtualGhost module: PCI addresses, host checks and the
 * {@link dev.virtualghost.api.HostCheckProvider} service interface.
 */
module dev.virtualghost.api {
    exports dev.virtualghost.api;
}
