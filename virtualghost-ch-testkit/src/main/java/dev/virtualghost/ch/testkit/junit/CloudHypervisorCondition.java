package dev.virtualghost.ch.testkit.junit;

import dev.virtualghost.ch.testkit.CloudHypervisorBinary;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@link ExecutionCondition} behind {@link RequiresCloudHypervisor}: enabled when a real
 * {@code cloud-hypervisor} is found; otherwise disabled with the reason, or an error when
 * {@code -Dvirtualghost.it.strict=true}. Stateless and thread-safe: JUnit may share one instance.
 */
public final class CloudHypervisorCondition implements ExecutionCondition {
    /** The system property that turns a missing binary from a skip into a failure. */
    public static final String STRICT_PROPERTY = "virtualghost.it.strict";

    /** Creates the condition (JUnit instantiates it through {@link RequiresCloudHypervisor}). */
    public CloudHypervisorCondition() {}

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Path> binary = CloudHypervisorBinary.find();
        if (binary.isPresent()) {
            return ConditionEvaluationResult.enabled("real cloud-hypervisor: " + binary.get());
        }
        String reason = CloudHypervisorBinary.missingReason();
        if (Boolean.parseBoolean(System.getProperty(STRICT_PROPERTY))) {
            throw new ExtensionConfigurationException(reason + " (-D" + STRICT_PROPERTY + "=true forbids skipping)");
        }
        return ConditionEvaluationResult.disabled(reason);
    }
}
