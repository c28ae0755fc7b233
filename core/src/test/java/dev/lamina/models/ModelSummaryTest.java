package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.lamina.Sequential;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** summary() in Keras 3's layout; the expected texts are what Keras 3.15 (jax) prints for the same models. */
@ExtendWith(OnReferenceBackend.class)
class ModelSummaryTest {
    /**
     * keras.Sequential([keras.Input(shape=(8,)), Dense(4, activation="relu"), BatchNormalization(),
     * Dropout(0.5), Dense(1)]).summary(), verbatim.
     */
    private static final String KERAS_WITH_INPUT = """
            Model: "sequential"
            ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
            ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
            ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
            │ dense (Dense)                   │ (None, 4)              │            36 │
            ├─────────────────────────────────┼────────────────────────┼───────────────┤
            │ batch_normalization             │ (None, 4)              │            16 │
            │ (BatchNormalization)            │                        │               │
            ├─────────────────────────────────┼────────────────────────┼───────────────┤
            │ dropout (Dropout)               │ (None, 4)              │             0 │
            ├─────────────────────────────────┼────────────────────────┼───────────────┤
            │ dense_1 (Dense)                 │ (None, 1)              │             5 │
            └─────────────────────────────────┴────────────────────────┴───────────────┘
             Total params: 57 (228.00 B)
             Trainable params: 49 (196.00 B)
             Non-trainable params: 8 (32.00 B)
            """;

    /** The same without an Input: Keras cannot know the shapes before the first call. */
    private static final String KERAS_WITHOUT_INPUT = """
            Model: "sequential"
            ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
            ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
            ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
            │ dense (Dense)                   │ ?                      │   0 (unbuilt) │
            ├─────────────────────────────────┼────────────────────────┼───────────────┤
            │ batch_normalization             │ ?                      │   0 (unbuilt) │
            │ (BatchNormalization)            │                        │               │
            ├─────────────────────────────────┼────────────────────────┼───────────────┤
            │ dropout (Dropout)               │ ?                      │   0 (unbuilt) │
            ├─────────────────────────────────┼────────────────────────┼───────────────┤
            │ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │
            └─────────────────────────────────┴────────────────────────┴───────────────┘
             Total params: 0 (0.00 B)
             Trainable params: 0 (0.00 B)
             Non-trainable params: 0 (0.00 B)
            """;

    @Test
    void anInputAtTheHeadGivesShapesAndCountsBeforeBuildAsKerasDoes() {
        try (Sequential model = new Sequential(new Input(8), new Dense(4, "relu"), new BatchNormalization(),
                new Dropout(0.5), new Dense(1))) {
            assertEquals(KERAS_WITH_INPUT, model.summary());
            assertFalse(model.isBuilt(), "summary does not build the model (nor choose its backend)");
        }
    }

    @Test
    void theBuiltModelsSummaryIsTheSame() {
        try (Sequential model = new Sequential(new Input(8), new Dense(4, "relu"), new BatchNormalization(),
                new Dropout(0.5), new Dense(1))) {
            model.build(8);
            assertEquals(KERAS_WITH_INPUT, model.summary());
        }
        try (Sequential model = new Sequential(new Dense(4, "relu"), new BatchNormalization(), new Dropout(0.5), new Dense(1))) {
            model.build(8);
            assertEquals(KERAS_WITH_INPUT, model.summary());
        }
    }

    @Test
    void withoutAnInputTheShapesAreUnknownUntilBuild() {
        try (Sequential model = new Sequential(new Dense(4, "relu"), new BatchNormalization(), new Dropout(0.5), new Dense(1))) {
            assertEquals(KERAS_WITHOUT_INPUT, model.summary());
        }
    }
}
