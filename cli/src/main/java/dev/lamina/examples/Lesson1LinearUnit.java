package dev.lamina.examples;

import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Input;

/** Lesson 1, "A Single Neuron": a linear unit y = w·x + b. With w = 2 and b = 1 it outputs 9 for x = 4. */
public final class Lesson1LinearUnit {
    private Lesson1LinearUnit() {
    }

    public static void main(String[] args) {
        Dense unit = new Dense(1);
        try (Sequential model = new Sequential(new Input(1), unit)) {
            model.build(1);
            unit.setWeights(new float[][] {{2f}}, new float[] {1f});
            System.out.println(model.summary());
            System.out.println("w = " + unit.getKernel()[0][0] + ", b = " + unit.getBias()[0]);
            System.out.println("y(4) = " + model.predict(new float[][] {{4f}})[0][0]);
        }
    }
}
