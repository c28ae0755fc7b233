package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import dev.lamina.data.CsvReader;
import dev.lamina.data.Dataset;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Feeds the CSV reader mutated tables (characters inserted, deleted and replaced with the ones
 * that matter to CSV and to numbers, lines cut short). Each must end in a {@link LaminaException}
 * or in a rectangular data set of finite numbers: never another exception. Seeded; more cases with
 * {@code -Dlamina.fuzz.cases}.
 */
class CsvFuzzTest {
    private static final String ALPHABET = ",,,\n\n\r\"\"..--+eE0123456789 xNaIfinty\t;\uFEFF\u0000é";

    @Test
    void mutatedTablesEndInOurErrorOrAFiniteDataSet() {
        long seed = Long.getLong("lamina.fuzz.seed", 20261129L);
        int cases = Integer.getInteger("lamina.fuzz.cases", 4000);
        StringBuilder base = new StringBuilder("a,b,c,target\n");
        Random data = new Random(seed);
        for (int i = 0; i < 20; i++) {
            base.append(data.nextInt(100)).append(',').append(data.nextGaussian()).append(",-").append(data.nextFloat())
                    .append(",1e").append(data.nextInt(5)).append('\n');
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int n = 0; n < cases; n++) {
            Random r = new Random(seed * 1_000_003L + n);
            StringBuilder text = new StringBuilder(base);
            int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits && text.length() > 0; e++) {
                int at = r.nextInt(text.length());
                char c = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
                switch (r.nextInt(4)) {
                    case 0: text.insert(at, c); break;
                    case 1: text.deleteCharAt(at); break;
                    case 2: text.setCharAt(at, c); break;
                    default: text.setLength(at); break;
                }
            }
            String target = r.nextBoolean() ? null : "target";
            String where = "case " + n + " (seed " + seed + ")";
            try {
                Dataset d = CsvReader.read(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
                        "fuzz.csv", target);
                assertTrue(d.rows() > 0, where);
                int width = d.featureNames().size();
                for (int i = 0; i < d.rows(); i++) {
                    assertEquals(width, d.x()[i].length, where);
                    for (float v : d.x()[i]) {
                        assertTrue(Float.isFinite(v), where + ": " + v);
                    }
                    assertTrue(Float.isFinite(d.y()[i][0]), where);
                }
                outcomes.merge("read", 1, Integer::sum);
            } catch (LaminaException e) {
                assertTrue(e.getMessage().contains("fuzz.csv"), where + ": the message does not name the file: " + e.getMessage());
                outcomes.merge("refused", 1, Integer::sum);
            } catch (RuntimeException | Error e) {
                throw new AssertionError(where + ": the reader threw " + e + " on:\n" + text, e);
            }
        }
        System.out.println("CsvFuzzTest: " + outcomes);
        assertTrue(outcomes.containsKey("read") && outcomes.containsKey("refused"), outcomes.toString());
    }
}
