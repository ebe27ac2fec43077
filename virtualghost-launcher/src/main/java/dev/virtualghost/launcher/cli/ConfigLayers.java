package dev.virtualghost.launcher.cli;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.launcher.LaunchSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * The launch settings from four layers, highest first: the command line, {@code VIRTUALGHOST_<KEY>} environment
 * variables ({@code VIRTUALGHOST_CH_BINARY} for {@code ch-binary}), the TOML file, the defaults. Each value
 * remembers where it came from ({@code config --show}). A bad value names its source: the flag, the variable,
 * or the file, line and key.
 */
final class ConfigLayers {
    /** The keys, in the order {@code config --show} and {@code config --init} list them. */
    static final List<String> KEYS = List.of(
            "kernel",
            "initramfs",
            "rootfs",
            "cmdline",
            "guest-url",
            "vcpus",
            "memory",
            "hugepages",
            "gpu",
            "sys",
            "ch-binary",
            "timeout",
            "shutdown-grace");

    /** A resolved value and its origin. */
    record Value(String text, String source) {}

    private final Map<String, Value> values = new LinkedHashMap<>();

    private ConfigLayers() {}

    /** The default config file: {@code $XDG_CONFIG_HOME/virtualghost/config.toml}, else under {@code ~/.config}. */
    static Path defaultFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("virtualghost").resolve("config.toml");
    }

    static String envName(String key) {
        return "VIRTUALGHOST_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Resolves every key through the layers. */
    static ConfigLayers load(LaunchOptions cli, Map<String, String> env) {
        ConfigLayers c = new ConfigLayers();
        Path file = cli != null && cli.config != null ? cli.config : defaultFile(env);
        boolean explicit = cli != null && cli.config != null;
        c.defaults();
        c.file(file, explicit);
        for (String key : KEYS) {
            String v = env.get(envName(key));
            if (v != null && !v.isEmpty()) {
                c.values.put(key, new Value(v, "environment " + envName(key)));
            }
        }
        if (cli != null) {
            c.flags(cli);
        }
        return c;
    }

    private void defaults() {
        values.put("vcpus", new Value("2", "default"));
        values.put("memory", new Value("1G", "default"));
        values.put("hugepages", new Value("false", "default"));
        values.put("sys", new Value("/sys", "default"));
        values.put("timeout", new Value("2m", "default"));
        values.put("shutdown-grace", new Value("10s", "default"));
    }

    private void file(Path file, boolean explicit) {
        if (!Files.exists(file)) {
            if (explicit) {
                throw new CliUsageException(
                        "config file " + file + " does not exist; create one with " + "'virtualghost config --init'");
            }
            return;
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            throw new CliUsageException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (toml.hasErrors()) {
            TomlParseError first = toml.errors().get(0);
            throw new CliUsageException(file + " line " + first.position().line() + ": "
                    + first.getMessage().replaceAll(" \\(line \\d+, column \\d+\\)$", ""));
        }
        for (String key : toml.dottedKeySet()) {
            TomlPosition pos = toml.inputPositionOf(key);
            String where = file + " line " + (pos == null ? "?" : pos.line()) + ", key " + key;
            if (!KEYS.contains(key)) {
                throw new CliUsageException(where + ": unknown key; known keys: " + String.join(", ", KEYS));
            }
            Object raw = toml.get(key);
            boolean numeric = key.equals("vcpus");
            boolean bool = key.equals("hugepages");
            if (numeric && !(raw instanceof Long)) {
                throw new CliUsageException(where + ": expected an integer, e.g. " + key + " = 4");
            }
            if (bool && !(raw instanceof Boolean)) {
                throw new CliUsageException(where + ": expected true or false");
            }
            if (!numeric && !bool && !(raw instanceof String) && !(key.equals("memory") && raw instanceof Long)) {
                throw new CliUsageException(where + ": expected a string in quotes, e.g. " + key + " = \"...\"");
            }
            values.put(key, new Value(String.valueOf(raw), where.replace(", key " + key, "")));
        }
    }

    private void flags(LaunchOptions o) {
        flag("kernel", o.kernel);
        flag("initramfs", o.initramfs);
        flag("rootfs", o.rootfs);
        flag("cmdline", o.cmdline);
        flag("guest-url", o.guestUrl);
        flag("vcpus", o.vcpus);
        flag("memory", o.memory);
        flag("hugepages", o.hugepages);
        flag("gpu", o.gpu);
        flag("sys", o.sys);
        flag("ch-binary", o.chBinary);
        flag("timeout", o.timeout == null ? null : o.timeout.toMillis() + "ms");
        flag("shutdown-grace", o.shutdownGrace == null ? null : o.shutdownGrace.toMillis() + "ms");
    }

    private void flag(String key, Object value) {
        if (value != null) {
            values.put(key, new Value(String.valueOf(value), "command line --" + key));
        }
    }

    /** Every key with its value and source ({@code (unset)} when no layer sets it). */
    Map<String, Value> all() {
        Map<String, Value> out = new LinkedHashMap<>();
        for (String k : KEYS) {
            out.put(k, values.getOrDefault(k, new Value(null, "unset")));
        }
        return out;
    }

    /** The value of {@code key} and its source, or null when no layer sets it. */
    Value value(String key) {
        Value v = values.get(key);
        return v == null || v.text() == null ? null : v;
    }

    private <T> T typed(String key, Function<String, T> parse) {
        Value v = values.get(key);
        if (v == null || v.text() == null) {
            return null;
        }
        try {
            return parse.apply(v.text());
        } catch (RuntimeException e) {
            throw new CliUsageException(key + " from " + v.source() + ": " + e.getMessage());
        }
    }

    /** The launch these layers describe, with the guest files given by kernel, initramfs, rootfs and cmdline. */
    LaunchSpec toSpec(boolean ssh) {
        return toSpec(ssh, null);
    }

    /**
     * The launch these layers describe; {@code guest}, when not null, gives the guest files and command line
     * instead of the kernel, initramfs, rootfs and cmdline keys.
     */
    LaunchSpec toSpec(boolean ssh, GuestChoice guest) {
        Path sys = typed("sys", Path::of);
        String gpu = typed("gpu", s -> s);
        PciAddress address = gpu == null ? null : GpuOption.resolve(gpu, sys);
        Integer vcpus = typed("vcpus", ConfigLayers::integer);
        Long memory = typed("memory", s -> new ByteSizeConverter().convert(s));
        Duration timeout = typed("timeout", DurationConverter::parse);
        Duration grace = typed("shutdown-grace", DurationConverter::parse);
        LaunchSpec.Builder b = LaunchSpec.builder()
                .kernel(guest != null ? guest.kernel() : typed("kernel", Path::of))
                .initramfs(guest != null ? guest.initramfs() : typed("initramfs", Path::of))
                .rootfs(guest != null ? guest.rootfs() : typed("rootfs", Path::of))
                .cmdline(guest != null ? guest.cmdline() : typed("cmdline", s -> s))
                .vcpus(vcpus)
                .memoryBytes(memory)
                .hugepages(Boolean.TRUE.equals(typed("hugepages", ConfigLayers::bool)))
                .gpu(address)
                .sysRoot(sys)
                .chBinary(typed("ch-binary", Path::of))
                .launchTimeout(timeout)
                .shutdownGrace(grace)
                .ssh(ssh);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliUsageException(e.getMessage() + sourceHint(e.getMessage()));
        }
    }

    private String sourceHint(String message) {
        for (String k : KEYS) {
            if (message.startsWith(k.replace("-", " ")) || message.startsWith(k)) {
                Value v = values.get(k);
                return v == null ? "" : " (from " + v.source() + ")";
            }
        }
        return "";
    }

    private static int integer(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number");
        }
    }

    private static boolean bool(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not true or false");
        };
    }
}
