package dev.virtualghost.ch.model;

/**
 * An extra path CH may access when it confines itself with Landlock ({@link VmConfig#landlockEnable()}).
 *
 * <p>Mirrors the {@code LandlockConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param path host path (file or directory) to allow; required
 * @param access the access to allow: {@code r}, {@code w} or {@code rw}; required
 */
public record LandlockConfig(String path, String access) {}
