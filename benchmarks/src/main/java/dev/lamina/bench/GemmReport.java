package dev.lamina.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link GemmBenchmark} in sample mode and prints GFLOP/s (2·m·n·k / time) per shape and
 * implementation, from the fastest and from the median product, with each implementation's speed
 * relative to EJML measured in the same run, as Markdown tables.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.lamina.bench.GemmReport [--threads N] [--quick]
 *      [--impl lamina-vector,ejml,...] [--shape 256x256x256,...]
 * </pre>
 * {@code --threads 1} runs every library on one thread (the forked JVMs get
 * {@code -XX:ActiveProcessorCount=1 -Dlamina.cpu.threads=1}); {@code --quick} shortens warm-up and
 * measurement to a smoke run.
 */
public final class GemmReport {
    private GemmReport() {
    }

    public static void main(String[] args) throws RunnerException {
        int threads = 0;
        boolean quick = false;
        String impls = null;
        String shapes = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--quick": quick = true; break;
                case "--impl": impls = args[++i]; break;
                case "--shape": shapes = args[++i]; break;
                default: throw new IllegalArgumentException("Unknown option " + args[i]
                        + "; use --threads N, --quick, --impl a,b, --shape MxNxK[:TN|:NT],...");
            }
        }
        // every product is timed on its own (sample mode), so that the table can show the fastest and
        // the median product: on a shared machine the fastest is the one least disturbed by others
        ChainedOptionsBuilder options = new OptionsBuilder().include(GemmBenchmark.class.getName() + ".gemm")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS);
        if (threads > 0) {
            options.jvmArgsAppend("-XX:ActiveProcessorCount=" + threads, "-Dlamina.cpu.threads=" + threads);
        }
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(300));
        }
        if (impls != null) {
            options.param("impl", impls.split(","));
        }
        if (shapes != null) {
            options.param("shape", shapes.split(","));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.println(table(results, threads, true));
        System.out.println(table(results, threads, false));
    }

    /** GFLOP/s of the fastest product of each run ({@code best}), or of the median product. */
    static String table(Collection<RunResult> results, int threads, boolean best) {
        Map<String, Map<String, Double>> gflops = new LinkedHashMap<>();
        List<String> implNames = new ArrayList<>();
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            String impl = r.getParams().getParam("impl");
            Statistics stats = r.getPrimaryResult().getStatistics();
            double microsPerOp = best ? stats.getMin() : stats.getPercentile(50);
            double rate = GemmShape.parse(shape).flops() / (microsPerOp * 1e3);
            gflops.computeIfAbsent(shape, s -> new LinkedHashMap<>()).put(impl, rate);
            if (!implNames.contains(impl)) {
                implNames.add(impl);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(best ? "Fastest product" : "Median product")
                .append(", GFLOP/s, float32, ").append(threads > 0 ? threads + " thread(s)" : "default threads")
                .append(" (ratio: × EJML CommonOps_FDRM in the same run)\n\n| shape |");
        for (String impl : implNames) {
            out.append(' ').append(impl).append(" |");
        }
        out.append("\n|---|");
        out.append("---|".repeat(implNames.size())).append('\n');
        for (Map.Entry<String, Map<String, Double>> row : gflops.entrySet()) {
            Double ejml = row.getValue().get("ejml");
            out.append("| ").append(row.getKey()).append(" |");
            for (String impl : implNames) {
                Double v = row.getValue().get(impl);
                if (v == null) {
                    out.append(" – |");
                } else if (ejml != null && !impl.equals("ejml")) {
                    out.append(String.format(Locale.ROOT, " %.1f (%.1f×) |", v, v / ejml));
                } else {
                    out.append(String.format(Locale.ROOT, " %.1f |", v));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
