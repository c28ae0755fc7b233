package dev.lamina.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Sequential;
import dev.lamina.backend.reference.ReferenceBackend;
import dev.lamina.layers.Dense;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core alone (no lamina-keras on the class path): Keras files get an error that says which module to add. */
class KerasWithoutModuleTest {
    @TempDir
    Path dir;

    @Test
    void loadingAKerasFileNamesTheModuleToAdd() throws Exception {
        Path archive = Files.write(dir.resolve("model.keras"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
        Path hdf5 = Files.write(dir.resolve("renamed.bin"), new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0});
        for (Path file : new Path[] {archive, hdf5}) {
            ModelFileException e = assertThrows(ModelFileException.class, () -> Sequential.load(file));
            assertTrue(e.getMessage().contains("lamina-keras"), e.getMessage());
        }
    }

    @Test
    void savingByAKerasExtensionNamesTheModuleToAdd() {
        try (Sequential model = new Sequential(new Dense(1)).build(2, new ReferenceBackend())) {
            for (String name : new String[] {"m.keras", "m.h5", "M.HDF5"}) {
                ModelFileException e = assertThrows(ModelFileException.class, () -> model.save(dir.resolve(name)));
                assertTrue(e.getMessage().contains("lamina-keras"), e.getMessage());
                assertFalse(Files.exists(dir.resolve(name)), "nothing written");
            }
        }
    }
}
