package dev.virtualghost.launcher.cli;

import dev.virtualghost.api.PciAddress;
import picocli.CommandLine;

/** Parses a PCI address option through {@link PciAddress#parse}, keeping its one-line message. */
final class PciAddressConverter implements CommandLine.ITypeConverter<PciAddress> {
    @Override
    public PciAddress convert(String value) {
        try {
            return PciAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
