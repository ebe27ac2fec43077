/** The picocli command line of the launcher ({@code virtualghost doctor}, ...). Not an API. */
package dev.virtualghost.launcher.cli;
