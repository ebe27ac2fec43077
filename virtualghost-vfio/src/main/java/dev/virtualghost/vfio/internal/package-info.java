/** Plumbing of the VFIO module: JNA libc, ioctls, restore journal, sysfs error hints, bounded blocking calls. Not API. */
package dev.virtualghost.vfio.internal;
