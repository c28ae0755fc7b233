package dev.lamina.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HDF5 writer's files read back through jhdf; its checksum is lookup3's. */
class Hdf5WriterTest {
    @Test
    void lookup3MatchesTheReferenceVectors() {
        // from Bob Jenkins' lookup3.c driver: hashlittle("", 0, 0) and hashlittle("Four score and seven years ago", 30, 0)
        assertEquals(0xdeadbeef, Hdf5Writer.Lookup3.hash(new byte[0], 0, 0));
        byte[] text = "Four score and seven years ago".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x17770551, Hdf5Writer.Lookup3.hash(text, 0, text.length));
    }

    @Test
    void groupsDatasetsAndAttributesReadBack() {
        Hdf5Writer.Group root = new Hdf5Writer.Group();
        root.attribute("model_config", "{\"name\": \"modèle\"}");
        root.attribute("layer_names", new String[] {"dense", "batch_normalization"});
        root.attribute("weight_names", new String[0]);
        Hdf5Writer.Group vars = root.group("layers").group("dense").group("vars").attribute("name", "dense");
        vars.floats("0", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        vars.floats("1", new long[] {3}, new float[] {-1, 0.5f, 7});
        root.group("optimizer").group("vars").scalarInt("0", 42).floats("1", new long[0], new float[] {0.25f});
        root.group("vars").attribute("name", "sequential");   // an empty group after the last dataset (what jhdf's writer loses)
        try (HdfFile f = HdfFile.fromBytes(Hdf5Writer.write(root))) {
            assertEquals("{\"name\": \"modèle\"}", Hdf5Reading.string(f, "model_config"));
            assertEquals(List.of("dense", "batch_normalization"), Hdf5Reading.strings(f, "layer_names"));
            assertEquals(List.of(), Hdf5Reading.strings(f, "weight_names"));
            KerasWeights.Array kernel = Hdf5Reading.floats(f, "layers/dense/vars/0", "test");
            assertArrayEquals(new long[] {2, 3}, kernel.shape);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, kernel.values);
            assertArrayEquals(new float[] {-1, 0.5f, 7}, Hdf5Reading.floats(f, "layers/dense/vars/1", "test").values);
            assertArrayEquals(new float[] {42}, Hdf5Reading.floats(f, "optimizer/vars/0", "test").values);
            assertArrayEquals(new float[] {0.25f}, Hdf5Reading.floats(f, "optimizer/vars/1", "test").values);
            Group empty = Hdf5Reading.group(f, "vars");
            assertTrue(empty != null && empty.getChildren().isEmpty());
            assertEquals("sequential", Hdf5Reading.string(empty, "name"));
            assertNull(Hdf5Reading.group(f, "missing"));
        }
    }
}
