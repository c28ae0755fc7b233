package dev.lamina.callbacks;

/** Sets the learning rate at the start of each epoch from {@code schedule(epoch, currentLr)}, as Keras'. */
public class LearningRateScheduler extends Callback {
    /** A function of the epoch (0-based) and the current learning rate. */
    @FunctionalInterface
    public interface Schedule {
        double at(int epoch, double learningRate);
    }

    private final Schedule schedule;

    public LearningRateScheduler(Schedule schedule) {
        this.schedule = schedule;
    }

    @Override
    public void onEpochBegin(int epoch) {
        double lr = schedule.at(epoch, model().optimizer().learningRate());
        model().optimizer().setLearningRate((float) lr);
    }
}
