package dev.virtualghost.ch.model;

/**
 * Where CH connects the guest's legacy serial port ({@code ttyS0} on x86_64).
 *
 * <p>Mirrors the {@code SerialConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param file host file CH writes serial output to; with mode {@code File}
 * @param socket host Unix socket CH listens on for the serial port; with mode {@code Socket}
 * @param mode one of {@link ConsoleMode}: {@code Off}, {@code Pty}, {@code Tty} (CH's own terminal), {@code File}, {@code Socket} or {@code Null}
 */
public record SerialConfig(String file, String socket, String mode) {}
