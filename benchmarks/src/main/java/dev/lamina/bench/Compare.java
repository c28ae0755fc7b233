package dev.lamina.bench;

import dev.lamina.backend.Backend;
import dev.lamina.backend.Backends;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU-versus-GPU comparison ({@code lamina bench}): runs GEMM, the hot ops and training steps
 * of the reference models on every usable backend found, prints a Markdown table with the backends
 * side by side and the GPU's speed-up, and writes {@code bench-results.json} and
 * {@code bench-results.png}. Timing is {@link Harness}'s warm-up and median of several runs, in
 * this JVM: quick and honest about what it is; the JMH benchmarks are the careful measurement.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.lamina.bench.Compare
 *      [--quick | --smoke] [--out DIR] [--backends cpu,cuda]
 * </pre>
 */
public final class Compare {
    static final String JSON = "bench-results.json";
    static final String PNG = "bench-results.png";

    private final PrintStream out;

    private Compare(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        ComparePlan plan = ComparePlan.FULL;
        Path dir = Path.of(".");
        List<String> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick": plan = ComparePlan.QUICK; break;
                case "--smoke": plan = ComparePlan.SMOKE; break;
                case "--out": dir = Path.of(value(args, ++i)); break;
                case "--backends": only = Arrays.asList(value(args, ++i).split(",")); break;
                case "--help":
                case "-h":
                    System.out.println("Usage: Compare [--quick | --smoke] [--out DIR] [--backends cpu,cuda]");
                    return;
                default:
                    throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; use --quick, --smoke, --out DIR, --backends cpu,cuda");
            }
        }
        new Compare(System.out).run(plan, dir, only);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    void run(ComparePlan plan, Path dir, List<String> only) throws IOException {
        MachineInfo machine = MachineInfo.here();
        String mode = plan.name().toLowerCase(Locale.ROOT);
        out.println("Lamina benchmark comparison (" + mode + "), " + Instant.now());
        out.println("Machine: " + machine);
        List<String> backends = chooseBackends(only);
        Map<String, String> descriptions = new LinkedHashMap<>();
        List<CompareResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<CompareTask> tasks = plan.tasks();
        for (String name : backends) {
            Backend backend = Backends.get(name);
            descriptions.put(name, backend.description());
            out.println("\n== " + name + ": " + backend.description().replace("\n", "; "));
            if (backend.description().contains("emulated")) {
                out.println("   (an emulated GPU runs the kernels on the CPU: its figures check the code path, not a GPU's speed)");
            }
            for (CompareTask task : tasks) {
                // one failing task must not cost the others' figures (a GPU run is one precious try):
                // it is reported, the rest still runs and is written, and the exit status says so
                try {
                    results.add(measure(task, backend, plan.harness));
                } catch (RuntimeException e) {
                    String failure = name + " " + task.group + " " + task.name + ": " + e;
                    failures.add(failure);
                    out.println("  FAILED " + failure);
                }
            }
        }

        String table = MarkdownTable.of(results, backends);
        out.println();
        out.println(table);
        Files.createDirectories(dir);
        Path json = dir.resolve(JSON);
        Path png = dir.resolve(PNG);
        ResultsJson.write(json, mode, machine, Backends.found(), descriptions, plan.harness, results, failures);
        List<String> devices = new ArrayList<>();
        backends.forEach(b -> devices.add(b + " (" + deviceLabel(b, descriptions.get(b), machine) + ")"));
        boolean charted = ResultsChart.write(png, results, backends, String.join(" vs ", devices) + ", " + mode);
        out.println("Wrote " + json + (charted ? " and " + png : " (no chart: no benchmark has a figure on every backend)"));
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " benchmark(s) failed: " + String.join("; ", failures));
        }
    }

    /** A few words for the chart: the CPU's core count, or the GPU's name (first line of the description). */
    static String deviceLabel(String backend, String description, MachineInfo machine) {
        if (backend.equals("cpu")) {
            return machine.cores + " cores";
        }
        String first = description.lines().findFirst().orElse(backend);
        first = first.startsWith(backend + ": ") ? first.substring(backend.length() + 2) : first;
        int paren = first.indexOf(" (");
        String name = paren > 0 ? first.substring(0, paren) : first;
        return description.contains("mode: emulated") && !name.contains("emulated") ? name + ", emulated" : name;
    }

    /** The usable backends (without the reference oracle), optionally narrowed; says why a GPU is missing. */
    private List<String> chooseBackends(List<String> only) {
        List<String> usable = BackendsFound.usable();
        Map<String, String> unusable = BackendsFound.unusable();
        unusable.forEach((name, why) -> out.println("Backend " + name + " " + why));
        if (!usable.contains("cuda")) {
            out.println(unusable.containsKey("cuda")
                    ? "No usable GPU here (see the reason above): reporting the CPU alone."
                    : "No CUDA backend on the class path: reporting the CPU alone.");
        }
        List<String> chosen = new ArrayList<>();
        // the CPU first, so that the table reads CPU | GPU | speed-up
        usable.stream().filter(b -> b.equals("cpu")).forEach(chosen::add);
        usable.stream().filter(b -> !b.equals("cpu")).forEach(chosen::add);
        if (only != null) {
            for (String b : only) {
                if (!usable.contains(b)) {
                    throw new IllegalArgumentException("Backend '" + b + "' is not usable here; usable: " + usable);
                }
            }
            chosen.retainAll(only);
        }
        if (chosen.isEmpty()) {
            throw new IllegalStateException("No usable backend to measure; found: " + Backends.found());
        }
        return chosen;
    }

    private CompareResult measure(CompareTask task, Backend backend, Harness harness) {
        double[] rates;
        try (CompareTask.Prepared work = task.prepare(backend)) {
            rates = harness.rates(work, backend);
        }
        double median = Harness.median(rates);
        out.printf(Locale.ROOT, "  %-8s %-48s %14s %s%n", task.group, task.name, MarkdownTable.number(median), task.unit);
        return new CompareResult(task.group, task.name, task.unit, backend.name(), median, rates);
    }
}
