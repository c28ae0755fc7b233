package dev.lamina.cpu;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import java.util.Locale;
import java.util.Random;

/**
 * Not a test: a main for finding what a training step allocates, on the caller and on the workers.
 * Trains one of the benchmarks' reference models (a, b, c: see benchmarks' ReferenceModel) epoch
 * after epoch and prints the bytes per step of each epoch's steps. Run it under Java Flight
 * Recorder to see where the bytes come from, e.g. from cpu-backend, after test-compile:
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:StartFlightRecording:settings=profile,filename=steps.jfr \
 *      -cp target/classes:target/test-classes:CORE_AND_DEPS dev.lamina.cpu.TrainingAllocationProbe c true 2 200 10
 * jfr print --events jdk.ObjectAllocationSample --stack-depth 16 steps.jfr
 * </pre>
 * Arguments: model (a, b or c), vector API (true/false), threads, epochs, print every n epochs.
 */
public final class TrainingAllocationProbe {
    private TrainingAllocationProbe() {
    }

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "c";
        boolean vector = args.length > 1 ? Boolean.parseBoolean(args[1]) : true;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        int every = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        int steps = 40;
        int inputs;
        int batch;
        int classes = 0;
        Sequential net;
        switch (model) {
            case "a":
                inputs = 8;
                batch = 32;
                net = new Sequential(new Dense(4, "relu"), new Dense(4, "relu"), new Dense(1));
                net.compile("sgd", "mse");
                break;
            case "b":
                inputs = 8;
                batch = 256;
                net = new Sequential(new Dense(512), new Dense(512), new Dense(512, "relu"), new Dense(1));
                net.compile("adam", "mse");
                break;
            case "c":
                inputs = 784;
                batch = 128;
                classes = 10;
                net = new Sequential(new Dense(512), new Dense(512, "relu"), new Dense(10, "softmax"));
                net.compile("adam", "sparse_categorical_crossentropy");
                break;
            default:
                throw new IllegalArgumentException("model a, b or c, not " + model);
        }
        Random random = new Random(7);
        float[][] x = new float[batch * steps][inputs];
        float[][] y = new float[batch * steps][1];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < inputs; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i][0] = classes > 0 ? random.nextInt(classes) : (float) random.nextGaussian();
        }
        try (net) {
            net.setSeed(7);
            net.build(inputs, new CpuBackend(vector, threads));
            AllocationMeter meter = AllocationMeter.forCallerAndWorkers();
            StepWindow window = new StepWindow(meter, steps);
            FitOptions options = new FitOptions().epochs(1).batchSize(batch).verbose(0).callbacks(window);
            for (int e = 0; e < epochs; e++) {
                window.reset();
                long start = System.nanoTime();
                net.fit(x, y, options);
                if (e % every == every - 1) {
                    System.out.printf(Locale.ROOT, "%s model %s, vector=%s, %d thread(s), epoch %d: caller %.1f, "
                                    + "%d worker(s) %.1f bytes per step; %.2f ms per step%n",
                            java.time.LocalTime.now(), model, vector, threads, e, window.callerPerStep(),
                            meter.workerCount(), window.workersPerStep(), (System.nanoTime() - start) / 1e6 / steps);
                }
            }
        }
    }
}
