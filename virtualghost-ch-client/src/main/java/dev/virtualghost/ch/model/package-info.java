/**
 * Records for the JSON bodies of the Cloud Hypervisor REST API, one per schema of CH's OpenAPI description,
 * with the same simple names. Null components stay absent on the wire; string enums are plain strings (see
 * the constant holders such as {@link dev.virtualghost.ch.model.ConsoleMode}) so that newer CH values still parse;
 * {@link dev.virtualghost.ch.model.VmState} is an enum whose parse maps a newer value to {@code UNKNOWN}.
 */
package dev.virtualghost.ch.model;
