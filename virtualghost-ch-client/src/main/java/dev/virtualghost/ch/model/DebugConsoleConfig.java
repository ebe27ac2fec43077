package dev.virtualghost.ch.model;

/**
 * The x86 debug-port console: bytes the guest writes to an I/O port (0xe9 by default) go where {@code mode} says.
 *
 * <p>Mirrors the {@code DebugConsoleConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param file host file CH writes the output to; with mode {@code File}
 * @param mode one of {@link ConsoleMode}; required
 * @param iobase the I/O port the guest writes to; CH default 0xe9
 */
public record DebugConsoleConfig(String file, String mode, Integer iobase) {}
