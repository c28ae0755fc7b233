package dev.lamina.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * Spark ML persistence of a {@link LaminaModel} (and of a {@link LaminaEstimator}: its metadata and
 * its starting model only): Spark's metadata file (class, uid, params) as every
 * stage has, beside {@code lamina/model.safetensors} (the network, Lamina's own file, readable by
 * {@code Sequential.load}) and {@code lamina/output.json} (what the outputs mean, the fit's history).
 * Written through Hadoop's file system, so any path Spark can write (local, HDFS, S3) works.
 */
final class LaminaModelIO {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL_FILE = "lamina/model.safetensors";
    private static final String OUTPUT_FILE = "lamina/output.json";

    private LaminaModelIO() {
    }

    static final class Writer extends MLWriter {
        private final LaminaModel model;

        Writer(LaminaModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("task", model.kind().name());
            output.put("width", model.kind().width);
            output.put("from_logits", model.kind().fromLogits);
            output.put("history", model.historyMap());
            try {
                write(sc(), new Path(path, MODEL_FILE), model.modelBytes());
                write(sc(), new Path(path, OUTPUT_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(output));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the Lamina model under " + path + ": " + e.getMessage(), e);
            }
        }

    }

    static final class EstimatorWriter extends MLWriter {
        private final LaminaEstimator estimator;

        EstimatorWriter(LaminaEstimator estimator) {
            this.estimator = estimator;
        }

        @Override
        public void saveImpl(String path) {
            if (!estimator.template().isBuilt()) {
                throw new LaminaException("The estimator's model is not built, so it has no weights to save; build it first "
                        + "(model.build(inputWidth)) or save the fitted model instead.");
            }
            DefaultParamsWriter$.MODULE$.saveMetadata(estimator, path, sparkSession());
            try {
                write(sc(), new Path(path, MODEL_FILE), ModelBytes.of(estimator.template()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the Lamina estimator under " + path + ": " + e.getMessage(), e);
            }
        }
    }

    static final class EstimatorReader extends MLReader<LaminaEstimator> {
        @Override
        public LaminaEstimator load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    LaminaEstimator.class.getName());
            try {
                Sequential template = ModelBytes.load(read(sc(), new Path(path, MODEL_FILE)), Backends.get("cpu"));
                LaminaEstimator estimator = new LaminaEstimator(metadata.uid(), template);
                metadata.getAndSetParams(estimator, Option.empty());
                return estimator;
            } catch (IOException | RuntimeException e) {
                throw new LaminaException("Cannot read the Lamina estimator under " + path + " (" + e.getMessage() + "). It must "
                        + "be a directory written by LaminaEstimator.save or a Pipeline's save.", e);
            }
        }
    }

    static final class Reader extends MLReader<LaminaModel> {
        @Override
        public LaminaModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    LaminaModel.class.getName());
            try {
                byte[] bytes = read(sc(), new Path(path, MODEL_FILE));
                Map<?, ?> output = JSON.readValue(read(sc(), new Path(path, OUTPUT_FILE)), Map.class);
                OutputKind kind = OutputKind.parse(String.valueOf(output.get("task")), ((Number) output.get("width")).intValue(),
                        Boolean.TRUE.equals(output.get("from_logits")));
                Map<String, double[]> history = new LinkedHashMap<>();
                if (output.get("history") instanceof Map) {
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) output.get("history")).entrySet()) {
                        history.put(String.valueOf(e.getKey()), JSON.convertValue(e.getValue(), double[].class));
                    }
                }
                LaminaModel model = new LaminaModel(metadata.uid(), bytes, kind, history);
                metadata.getAndSetParams(model, Option.empty());
                return model;
            } catch (IOException | RuntimeException e) {
                throw new LaminaException("Cannot read the Lamina model under " + path + " (" + e.getMessage() + "). It must be a "
                        + "directory written by LaminaModel.save or a PipelineModel's save.", e);
            }
        }
    }

    private static void write(SparkContext sc, Path file, byte[] bytes) throws IOException {
        FileSystem fs = file.getFileSystem(sc.hadoopConfiguration());
        try (OutputStream out = fs.create(file, true)) {
            out.write(bytes);
        }
    }

    private static byte[] read(SparkContext sc, Path file) throws IOException {
        FileSystem fs = file.getFileSystem(sc.hadoopConfiguration());
        try (InputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }
}
