package dev.lamina.cuda.gpucheck;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * gpu-check: one command that proves the CUDA backend on a machine and writes {@code gpu-check.md}
 * and {@code gpu-check.json} into the folder given (see docs/cuda-testing.md, "gpu-check").
 *
 * <p>Phases, each in its own JVM ({@link PhaseMain}): the environment; a first pass with every launch
 * synchronised; the module's tests on the cuBLAS path and on the own SGEMM kernel; GEMM on large
 * shapes against the CPU backend; CPU-versus-GPU training; speed. On a real GPU they run at full size;
 * under the emulated driver at a small size, so CI keeps the command working.
 *
 * <p>{@code -Dlamina.cuda.expect=gpu} makes it fail unless CUDA is usable, the device is a real GPU,
 * and at least {@link #MIN_GPU_TESTS} CUDA tests executed (a run whose tests skipped themselves,
 * because JCuda's natives could not load or {@code cuInit} failed, tested nothing);
 * {@code expect=emulated} asks the same of the emulated driver. Exit status 0 when every phase passed
 * (or skipped with a reason) and the guard holds, 1 otherwise, 2 for a usage error.
 */
public final class GpuCheck {
    /** CUDA tests that must execute on the own-kernel path of a real GPU (about 350 do: 359 under emulation, less the emulator-only ones). */
    static final int MIN_GPU_TESTS = 300;
    /** The same under emulation, where the selection is short. */
    static final int MIN_EMULATED_TESTS = 60;

    static final List<String> PHASES = List.of("env", "sync", "tests-cublas", "tests-kernel", "gemm", "training", "speed");

    private GpuCheck() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: GpuCheck OUT_DIR [--phases env,sync,tests-cublas,tests-kernel,gemm,training,speed]");
            System.exit(2);
        }
        Path out = Path.of(args[0]).toAbsolutePath();
        List<String> phases = PHASES;
        if (args.length >= 3 && args[1].equals("--phases")) {
            phases = List.of(args[2].split(","));
        }
        String expect = System.getProperty("lamina.cuda.expect", "none").trim().toLowerCase(Locale.ROOT);
        if (!List.of("gpu", "emulated", "none").contains(expect)) {
            System.err.println("-Dlamina.cuda.expect=" + expect + ": use gpu, emulated or none");
            System.exit(2);
        }
        System.exit(new Run(out, expect, phases).run());
    }

    /** One gpu-check run. */
    static final class Run {
        private final Path out;
        private final String expect;
        private final List<String> phases;
        private final long deadline;
        private final Map<String, PhaseResult> results = new LinkedHashMap<>();
        private final Map<String, Double> seconds = new LinkedHashMap<>();

        Run(Path out, String expect, List<String> phases) {
            this.out = out;
            this.expect = expect;
            this.phases = phases;
            this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("lamina.gpucheck.budget", 270));
        }

        int run() throws IOException, InterruptedException {
            Files.createDirectories(out.resolve("logs"));
            Path parts = out.resolve("phases");
            Files.createDirectories(parts);
            Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            PhaseResult env = phase("env", parts, Scale.SMALL, List.of());
            boolean usable = env != null && "true".equals(env.fact("usable"));
            boolean emulated = env != null && "true".equals(env.fact("emulated"));
            Scale scale = emulated ? Scale.SMALL : Scale.FULL;
            for (String name : phases) {
                if (name.equals("env")) {
                    continue;
                }
                if (!usable) {
                    results.put(name, skipped(name, "not run: CUDA is not usable here (see env)"));
                    continue;
                }
                List<String> properties = new ArrayList<>(switch (name) {
                    case "sync" -> List.of("-Dlamina.cuda.sync=true", "-Dlamina.cuda.gemm=auto");
                    case "tests-cublas" -> List.of("-Dlamina.cuda.gemm=cublas");
                    case "tests-kernel" -> List.of("-Dlamina.cuda.gemm=kernel");
                    default -> List.of("-Dlamina.cuda.gemm=auto");
                });
                if (emulated && name.startsWith("tests-")) {
                    // EmulatedGpuRunTest checks that an emulated pass uses the GEMM path it is named after
                    properties.add("-Dlamina.cuda.test.mode=" + (name.equals("tests-cublas") ? "emulated-cublas" : "emulated-own-gemm"));
                }
                phase(name, parts, scale, properties);
            }
            List<String> guard = guard(env, usable, emulated);
            boolean passed = guard.isEmpty() && results.values().stream().noneMatch(r -> r.status == PhaseResult.Status.FAILED);
            writeReports(started, env, scale, guard, passed);
            System.out.println();
            System.out.println("gpu-check " + (passed ? "PASSED" : "FAILED") + " (expect=" + expect + "); report: "
                    + out.resolve("gpu-check.md"));
            for (String g : guard) {
                System.out.println("  guard: " + g);
            }
            results.values().stream().filter(r -> r.status == PhaseResult.Status.FAILED)
                    .forEach(r -> System.out.println("  " + r.name + ": " + String.join("; ", r.problems)));
            return passed ? 0 : 1;
        }

        /** Runs a phase in a child JVM with this JVM's options and class path, plus {@code properties}. */
        private PhaseResult phase(String name, Path parts, Scale scale, List<String> properties)
                throws IOException, InterruptedException {
            long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
            if (!name.equals("env") && left < 15) {
                PhaseResult r = skipped(name, "out of time (the run's budget, -Dlamina.gpucheck.budget, is spent)");
                r.fail("not run: out of time");
                results.put(name, r);
                return r;
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (!a.startsWith("-Dlamina.cuda.gemm=") && !a.startsWith("-Dlamina.cuda.sync=") && !a.startsWith("-Dlamina.cuda.test.mode=")) {
                    command.add(a);
                }
            }
            command.addAll(properties);
            command.add("-D" + Scale.PROPERTY + "=" + scale.name().toLowerCase(Locale.ROOT));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), PhaseMain.class.getName(), name, parts.toString()));
            Path log = out.resolve("logs").resolve(name + ".log");
            System.out.println("== gpu-check phase " + name + " (log: " + log + ")");
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = p.waitFor(Math.max(left, 30), TimeUnit.SECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            seconds.put(name, (System.nanoTime() - start) / 1e9);
            PhaseResult r = PhaseResult.read(parts, name);
            if (r == null) {
                r = new PhaseResult(name);
                r.line("## " + name).line("");
                String why = finished ? "its JVM exited with status " + p.exitValue() + " before writing results" : "it ran out of time";
                r.line("- **no result**: " + why + "; see `logs/" + name + ".log`").line("");
                r.fail(why);
            }
            results.put(name, r);
            System.out.printf(Locale.ROOT, "   %s in %.1f s%s%n", r.status, seconds.get(name),
                    r.problems.isEmpty() ? "" : ": " + String.join("; ", r.problems));
            return r;
        }

        private static PhaseResult skipped(String name, String reason) {
            PhaseResult r = new PhaseResult(name);
            r.skip(reason);
            return r;
        }

        /** Why the run does not meet {@code expect}; empty when it does. */
        List<String> guard(PhaseResult env, boolean usable, boolean emulated) {
            return Guard.check(expect, usable, emulated, env == null ? "the environment phase failed" : env.fact("reason"),
                    results.containsKey("tests-kernel") ? results.get("tests-kernel").intFact("executed") : 0,
                    results.containsKey("tests-kernel") ? results.get("tests-kernel").markdown.toString() : "");
        }

        private void writeReports(Instant started, PhaseResult env, Scale scale, List<String> guard, boolean passed)
                throws IOException {
            String commit = System.getProperty("lamina.gpucheck.commit", "unknown");
            StringBuilder md = new StringBuilder();
            md.append("# gpu-check report\n\n");
            md.append("- date: ").append(started).append("\n");
            md.append("- commit: `").append(commit).append("`\n");
            md.append("- expect: `").append(expect).append("`; scale: ").append(scale.name().toLowerCase(Locale.ROOT))
                    .append(scale.full() ? " (a real GPU)" : " (emulated driver or no CUDA: small shapes, speed figures meaningless)").append("\n");
            md.append("- verdict: **").append(passed ? "PASSED" : "FAILED").append("**\n");
            for (String g : guard) {
                md.append("- guard: **").append(g).append("**\n");
            }
            md.append("\n| phase | result | seconds | problems or reason |\n|---|---|---|---|\n");
            List<PhaseResult> all = new ArrayList<>(results.values()); // env first: it ran first
            for (PhaseResult r : all) {
                Double s = seconds.get(r.name);
                md.append("| ").append(r.name).append(" | ").append(r.status.name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(s == null ? "" : String.format(Locale.ROOT, "%.1f", s)).append(" | ")
                        .append(String.join("; ", r.problems).replace("|", "\\|"))
                        .append(r.skipReason == null ? "" : (r.problems.isEmpty() ? "" : "; ") + r.skipReason.replace("|", "\\|"))
                        .append(" |\n");
            }
            md.append("\n");
            for (PhaseResult r : all) {
                md.append(r.markdown);
            }
            md.append("Logs of each phase: `logs/`.\n");
            Files.writeString(out.resolve("gpu-check.md"), md, StandardCharsets.UTF_8);

            Json.Obj json = new Json.Obj().put("date", started.toString()).put("commit", commit).put("expect", expect)
                    .put("scale", scale.name().toLowerCase(Locale.ROOT)).put("passed", passed).put("guard", new ArrayList<Object>(guard));
            Json.Obj phaseJson = json.obj("phases");
            for (PhaseResult r : all) {
                Json.Raw raw = PhaseResult.jsonOf(out.resolve("phases"), r.name);
                Json.Obj summary = new Json.Obj().put("status", r.status.name().toLowerCase(Locale.ROOT))
                        .put("seconds", seconds.get(r.name)).put("problems", new ArrayList<Object>(r.problems))
                        .put("skip_reason", r.skipReason);
                phaseJson.put(r.name, raw != null ? raw : summary);
            }
            Files.writeString(out.resolve("gpu-check.json"), json + "\n", StandardCharsets.UTF_8);
        }
    }
}
