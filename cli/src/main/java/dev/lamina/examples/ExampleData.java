package dev.lamina.examples;

import dev.lamina.data.CsvReader;
import dev.lamina.data.Dataset;
import dev.lamina.data.Standardizer;
import java.nio.file.Path;

/** Loads a bundled data set for the examples: shuffled with a fixed seed, split 80/20, features standardised on the training rows. */
final class ExampleData {
    private ExampleData() {
    }

    /** A bundled data file: under the checkout the lamina launcher names (-Dlamina.home), else ./data or ../data. */
    static Path file(String name) {
        String home = System.getProperty("lamina.home");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "data", name);
        }
        Path p = Path.of("data", name);
        return p.toFile().exists() ? p : Path.of("..", "data", name);
    }

    /** {train, validation}. */
    static Dataset[] load(String name, String target, boolean standardise) {
        Dataset all = CsvReader.read(file(name), target).shuffled(0);
        Dataset[] parts = all.split(0.8);
        if (!standardise) {
            return parts;
        }
        Standardizer s = Standardizer.fit(parts[0].x());
        return new Dataset[] {
            new Dataset(s.transform(parts[0].x()), parts[0].y(), all.featureNames(), all.targetName()),
            new Dataset(s.transform(parts[1].x()), parts[1].y(), all.featureNames(), all.targetName())};
    }
}
