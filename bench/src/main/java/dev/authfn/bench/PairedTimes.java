package dev.authfn.bench;

import java.util.Arrays;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a {@code paired} benchmark measured in one iteration: it runs its baseline and its subject
 * alternately, times each, and {@link #record}s the pair. JMH reports the public fields as
 * secondary results of the {@code paired} method, one value per iteration.
 *
 * <p>On a shared machine a thread is descheduled for milliseconds now and then, and the sibling
 * hardware thread's load changes the speed of everything; two benchmarks run one after the other
 * drift apart. A pair's two timings are taken microseconds apart, so the median over the pairs of
 * {@code subject / baseline} ({@link #medianRatioPpm}, parts per million) barely moves, and a
 * descheduled operation spoils one pair, not the result. {@link #medianBaselineNs} and
 * {@link #medianSubjectNs} are each side's median time; the sums are there for the curious.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairedTimes {

    private static final int CAPACITY = 1 << 16;

    public long operations;
    public long baselineNs;
    public long subjectNs;
    public long medianBaselineNs;
    public long medianSubjectNs;
    public long medianRatioPpm;

    private final long[] baselines = new long[CAPACITY];
    private final long[] subjects = new long[CAPACITY];
    private final double[] ratios = new double[CAPACITY];
    private int stored;

    @Setup(Level.Iteration)
    public void reset() {
        operations = 0;
        baselineNs = 0;
        subjectNs = 0;
        medianBaselineNs = 0;
        medianSubjectNs = 0;
        medianRatioPpm = 0;
        stored = 0;
    }

    /** One pair; the medians are brought up to date at 1, 2, 4, ... pairs and every 4096. */
    void record(long baselineTime, long subjectTime) {
        operations++;
        baselineNs += baselineTime;
        subjectNs += subjectTime;
        if (stored == CAPACITY || baselineTime <= 0) {
            return;
        }
        baselines[stored] = baselineTime;
        subjects[stored] = subjectTime;
        ratios[stored] = (double) subjectTime / baselineTime;
        stored++;
        if (Integer.bitCount(stored) == 1 || stored % 4096 == 0) {
            medianBaselineNs = median(baselines, stored);
            medianSubjectNs = median(subjects, stored);
            double[] sortedRatios = Arrays.copyOf(ratios, stored);
            Arrays.sort(sortedRatios);
            medianRatioPpm = Math.round(sortedRatios[stored / 2] * 1_000_000);
        }
    }

    private static long median(long[] values, int count) {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return sorted[count / 2];
    }
}
