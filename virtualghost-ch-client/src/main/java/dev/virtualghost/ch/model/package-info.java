/**
 * Records for the JSON bodies of the Cloud Hypervisor REST API, one per schema of CH's OpenAPI description,
 * with the same simple names. Null components stay absent on the wire; string enums are plain strings (see
 * the constant holders such as {@link dev.virtualghost.ch.model.VmState}) so that newer CH values still parse.
 */
package dev.virtualghost.ch.model;
