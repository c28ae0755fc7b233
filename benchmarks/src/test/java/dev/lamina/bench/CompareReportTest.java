package dev.lamina.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compare's outputs from made-up results: the table, the JSON and the chart. No timing here. */
class CompareReportTest {
    private static final List<CompareResult> RESULTS = List.of(
            new CompareResult("GEMM", "256x256x256", "GFLOP/s", "cpu", 100, new double[] {90, 100, 110}),
            new CompareResult("GEMM", "256x256x256", "GFLOP/s", "cuda", 2500, new double[] {2500}),
            new CompareResult("Training", "model a: 8→4→4→1 sgd mse, batch 32", "samples/s", "cpu", 1_234_567, new double[] {1_234_567}),
            new CompareResult("Training", "model a: 8→4→4→1 sgd mse, batch 32", "samples/s", "cuda", 12_345, new double[] {12_345}));

    @Test
    void tablePutsTheBackendsSideBySideWithTheSpeedUp() {
        String table = MarkdownTable.of(RESULTS, List.of("cpu", "cuda"));
        assertTrue(table.startsWith("| group | benchmark | unit | cpu | cuda | cuda ÷ cpu |"), table);
        assertTrue(table.contains("| GEMM | 256x256x256 | GFLOP/s | 100 | 2,500 | 25.00× |"), table);
        assertTrue(table.contains("| samples/s | 1,234,567 | 12,345 | 0.01× |"), table);
    }

    @Test
    void tableOfTheCpuAloneHasNoSpeedUpColumn() {
        String table = MarkdownTable.of(RESULTS.subList(0, 1), List.of("cpu"));
        assertFalse(table.contains("÷"), table);
        assertTrue(table.contains("| GEMM | 256x256x256 | GFLOP/s | 100 |"), table);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2, Harness.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Harness.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void jsonHasTheMachineTheBackendsAndEveryRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(Compare.JSON);
        ResultsJson.write(file, "quick", MachineInfo.here(), Map.of("cuda", "not usable: no driver"),
                Map.of(), ComparePlan.QUICK.harness, RESULTS, List.of("cuda GEMM 1x1x1: boom"));
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals("quick", root.get("mode").asText());
        assertTrue(root.get("machine").get("cores").asInt() > 0);
        assertEquals("not usable: no driver", root.get("backends").get("cuda").get("status").asText());
        assertEquals(4, root.get("results").size());
        assertEquals(3, root.get("results").get(0).get("runs").size());
        assertEquals("cuda GEMM 1x1x1: boom", root.get("failures").get(0).asText());
        assertEquals(List.of(Compare.JSON), List.of(dir.toFile().list()), "no temporary file is left");
    }

    @Test
    void chartIsAPng(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(Compare.PNG);
        ResultsChart.write(file, RESULTS, List.of("cpu", "cuda"), "test");
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(file), 4);
        assertEquals("\u0089PNG", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void chartLeavesOutATaskThatFailedOnOneBackend(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(Compare.PNG);
        ResultsChart.write(file, RESULTS.subList(0, 3), List.of("cpu", "cuda"), "test");
        assertTrue(Files.size(file) > 0);
        assertTrue(MarkdownTable.of(RESULTS.subList(0, 3), List.of("cpu", "cuda")).contains("| 1,234,567 | – | – |"));
    }

    @Test
    void deviceLabelNamesTheGpuAndSaysWhenItIsEmulated() {
        MachineInfo machine = MachineInfo.here();
        assertEquals("NVIDIA H200", Compare.deviceLabel("cuda", "cuda: NVIDIA H200 (compute capability 9.0, 132 SMs)\n  memory: 139 GiB", machine));
        assertEquals("Lamina emulated GPU", Compare.deviceLabel("cuda",
                "cuda: Lamina emulated GPU (kernels on the CPU) (compute capability 8.0, 2 SMs)\n  mode: emulated (...)", machine));
        assertEquals(machine.cores + " cores", Compare.deviceLabel("cpu", "cpu: pure Java", machine));
    }
}
