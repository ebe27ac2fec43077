package dev.virtualghost.vsock.ssh.internal;

import com.jcraft.jsch.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSch's log lines into SLF4J, with JSch's INFO (a dozen lines of key exchange per session) demoted to DEBUG
 * so a program that opens many sessions does not flood its log; warnings and errors stay as they are.
 */
public final class JschLogging implements Logger {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("com.jcraft.jsch");

    @Override
    public boolean isEnabled(int level) {
        return switch (level) {
            case DEBUG, INFO -> LOG.isDebugEnabled();
            case WARN -> LOG.isWarnEnabled();
            default -> LOG.isErrorEnabled();
        };
    }

    @Override
    public void log(int level, String message) {
        switch (level) {
            case DEBUG, INFO -> LOG.debug(message);
            case WARN -> LOG.warn(message);
            default -> LOG.error(message);
        }
    }
}
