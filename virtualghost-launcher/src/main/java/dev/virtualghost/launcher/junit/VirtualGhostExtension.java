package dev.virtualghost.launcher.junit;

import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.ch.ChEvent;
import dev.virtualghost.launcher.LaunchSpec;
import dev.virtualghost.launcher.Launcher;
import dev.virtualghost.launcher.Session;
import dev.virtualghost.launcher.internal.Preflight;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A VM per test class or per test, injected as a {@link Session} parameter and closed by JUnit even when the test
 * fails (the whole unwind: guest shutdown, VMM stop, GPU restore, files removed).
 *
 * <pre>{@code
 * @RegisterExtension
 * static VirtualGhostExtension vm = VirtualGhostExtension.perClass(() -> LaunchSpec.builder()
 *         .kernel(Path.of("vmlinux")).ssh(true).build());
 *
 * @Test
 * void unameRuns(Session vm) {
 *     assertThat(vm.exec("uname", Duration.ofSeconds(10)).stdoutText()).contains("Linux");
 * }
 * }</pre>
 *
 * <p>When the host cannot run the VM (the launch's preflight fails: no cloud-hypervisor, no kernel file, no such
 * GPU) the tests are skipped with that reason, or fail when the system property {@code virtualghost.it.strict}
 * is {@code true}. When a test fails, the serial tail, the VMM's log tail and the VM's events are published as
 * report entries ({@code virtualghost.serial}, {@code virtualghost.vmm-log}, {@code virtualghost.events}) and
 * attached to the failure as a suppressed exception, so they appear in the test report. Thread-safe per JUnit's
 * extension model; the spec supplier is called once per VM.
 */
public final class VirtualGhostExtension
        implements ExecutionCondition,
                BeforeAllCallback,
                AfterAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                ParameterResolver,
                TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(VirtualGhostExtension.class);
    private static final String SESSION = "session";
    private static final int TAIL_LINES = 40;

    private final Supplier<LaunchSpec> spec;
    private final boolean perClass;
    private volatile LaunchSpec resolved;

    private VirtualGhostExtension(Supplier<LaunchSpec> spec, boolean perClass) {
        this.spec = Objects.requireNonNull(spec, "spec == null");
        this.perClass = perClass;
    }

    /**
     * One VM shared by every test of the class (register in a static field).
     *
     * @param spec supplies the VM's spec when the first test of the class starts
     * @return a new extension
     */
    public static VirtualGhostExtension perClass(Supplier<LaunchSpec> spec) {
        return new VirtualGhostExtension(spec, true);
    }

    /**
     * A fresh VM for every test.
     *
     * @param spec supplies each test's VM spec before the test starts
     * @return a new extension
     */
    public static VirtualGhostExtension perTest(Supplier<LaunchSpec> spec) {
        return new VirtualGhostExtension(spec, false);
    }

    private LaunchSpec spec() {
        LaunchSpec s = resolved;
        if (s == null) {
            s = spec.get();
            resolved = s;
        }
        return s;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason;
        try {
            Preflight.check(spec());
            return ConditionEvaluationResult.enabled("the host can run the VM");
        } catch (VirtualGhostException | IllegalArgumentException e) {
            reason = "this host cannot run the test VM: " + e.getMessage();
        }
        if (Boolean.getBoolean("virtualghost.it.strict")) {
            throw new IllegalStateException(reason + " (virtualghost.it.strict=true)");
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (perClass) {
            start(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            stop(context);
        }
    }

    private void start(ExtensionContext context) {
        Session session = Launcher.builder().spec(spec()).build().start();
        // A CloseableResource: JUnit closes it with its context even if afterAll/afterEach never runs.
        context.getStore(NS).put(SESSION, new Held(session));
    }

    private static void stop(ExtensionContext context) {
        Held held = context.getStore(NS).remove(SESSION, Held.class);
        if (held != null) {
            held.close();
        }
    }

    private static Session find(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Held held = c.getStore(NS).get(SESSION, Held.class);
            if (held != null) {
                return held.session;
            }
        }
        return null;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Session.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Session s = find(context);
        if (s == null) {
            throw new ParameterResolutionException("no VM for " + parameter.getParameter() + ": a per-test VM "
                    + "cannot be injected into a constructor or @BeforeAll method; use perClass()");
        }
        return s;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Session s = find(context);
        if (s != null) {
            String serial = s.serialTail(TAIL_LINES);
            String log = s.logTail(TAIL_LINES);
            String events = s.events().stream().map(ChEvent::toString).collect(Collectors.joining("\n"));
            context.publishReportEntry("virtualghost.serial", serial);
            context.publishReportEntry("virtualghost.vmm-log", log);
            context.publishReportEntry("virtualghost.events", events);
            failure.addSuppressed(new VmDiagnostics(
                    "the VM at the failure:\n[serial]\n" + serial + "\n[vmm log]\n" + log + "\n[events]\n" + events));
        }
        throw failure;
    }

    /** The VM's state at a test failure, attached to it as a suppressed exception. */
    static final class VmDiagnostics extends Exception {
        private static final long serialVersionUID = 1L;

        VmDiagnostics(String message) {
            super(message, null, false, false);
        }
    }

    /** Holds a session in JUnit's store so that JUnit closes it. */
    private static final class Held implements ExtensionContext.Store.CloseableResource {
        private final Session session;

        Held(Session session) {
            this.session = session;
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
