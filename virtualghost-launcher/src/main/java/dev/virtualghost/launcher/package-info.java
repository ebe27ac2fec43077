/**
 * The VirtualGhost launcher: composes the CH client, VFIO and vsock modules. {@link dev.virtualghost.launcher.Doctor}
 * aggregates every module's host checks into a {@link dev.virtualghost.launcher.DoctorReport}.
 */
package dev.virtualghost.launcher;
