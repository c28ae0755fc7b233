package dev.lamina.cuda.gpucheck;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a selection of the CUDA module's JUnit tests inside this JVM and counts what happened:
 * executed (passed or failed), failed, and skipped (an assumption aborted them, or {@code @Disabled})
 * with the reasons, so a run whose tests all skipped cannot pass for a tested one.
 */
final class JUnitPass {
    int passed;
    int failed;
    int skipped;
    /** Failed tests: display path and the first line of the error. */
    final List<String> failures = new ArrayList<>();
    /** Why tests were skipped, with how many each reason skipped. */
    final Map<String, Integer> skipReasons = new LinkedHashMap<>();
    double seconds;

    int executed() {
        return passed + failed;
    }

    /**
     * Runs {@code selection}: "package:dev.lamina.cuda" or a comma-separated list of class names
     * (simple names are taken to be in {@code dev.lamina.cuda}).
     */
    static JUnitPass run(String selection) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String s : selection.split(",")) {
            String name = s.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (name.startsWith("package:")) {
                selectors.add(selectPackage(name.substring("package:".length())));
            } else {
                selectors.add(selectClass(name.contains(".") ? name : "dev.lamina.cuda." + name));
            }
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        JUnitPass pass = new JUnitPass();
        Launcher launcher = LauncherFactory.create();
        long start = System.nanoTime();
        launcher.execute(request, pass.listener());
        pass.seconds = (System.nanoTime() - start) / 1e9;
        return pass;
    }

    private TestExecutionListener listener() {
        return new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                if (test.isTest()) {
                    skipped++;
                    skipReasons.merge(firstLine(reason), 1, Integer::sum);
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest()) {
                    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                        // a class-level failure (@BeforeAll, a nested class): its tests never ran
                        failed++;
                        failures.add(test.getDisplayName() + ": " + error(result));
                    } else if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                        skipReasons.merge(firstLine(error(result)), 1, Integer::sum);
                    }
                    return;
                }
                switch (result.getStatus()) {
                    case SUCCESSFUL -> passed++;
                    case FAILED -> {
                        failed++;
                        failures.add(test.getDisplayName() + ": " + error(result));
                    }
                    case ABORTED -> {
                        skipped++;
                        skipReasons.merge(firstLine(error(result)), 1, Integer::sum);
                    }
                }
                System.out.println("  " + result.getStatus().name().charAt(0) + " " + test.getDisplayName());
            }
        };
    }

    private static String error(TestExecutionResult result) {
        return result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("(no message)");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "(no reason)";
        }
        String line = text.strip().split("\n", 2)[0];
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** Markdown lines: the counts, then failures and skip reasons (at most {@code limit} each). */
    void describe(PhaseResult r, int limit) {
        r.line(String.format(java.util.Locale.ROOT, "- tests: **%d executed** (%d passed, %d failed), %d skipped, in %.1f s",
                executed(), passed, failed, skipped, seconds));
        for (int i = 0; i < Math.min(limit, failures.size()); i++) {
            r.line("  - FAILED " + failures.get(i).replace("\n", " "));
        }
        if (failures.size() > limit) {
            r.line("  - ... and " + (failures.size() - limit) + " more failures (see logs/)");
        }
        int shown = 0;
        for (Map.Entry<String, Integer> e : skipReasons.entrySet()) {
            if (shown++ == limit) {
                r.line("  - ... more skip reasons in logs/");
                break;
            }
            r.line("  - skipped " + e.getValue() + "×: " + e.getKey());
        }
    }

    Json.Obj toJson() {
        Json.Obj o = new Json.Obj().put("executed", executed()).put("passed", passed).put("failed", failed)
                .put("skipped", skipped).put("seconds", seconds);
        o.put("failures", new ArrayList<Object>(failures));
        Json.Obj reasons = o.obj("skip_reasons");
        skipReasons.forEach(reasons::put);
        return o;
    }
}
