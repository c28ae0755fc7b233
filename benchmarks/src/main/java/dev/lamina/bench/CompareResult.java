package dev.lamina.bench;

/**
 * One measured figure: a task on a backend, its median rate and every run's rate (in {@code unit},
 * higher is better).
 */
record CompareResult(String group, String name, String unit, String backend, double median, double[] runs) {
}
