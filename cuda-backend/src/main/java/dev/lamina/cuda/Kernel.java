package dev.lamina.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;

/**
 * One kernel of the module with its argument block built once.
 *
 * <p>{@code cuLaunchKernel} takes a pointer to an array of pointers, one per argument. Building that
 * with {@code Pointer.to(...)} on every launch allocates several objects; here each argument has a
 * one-element array and a {@link Pointer} to it made once, and a launch only writes the values
 * (JCuda reads the arrays at the call, and the driver copies the arguments before it returns). A
 * device pointer argument is passed as its 8-byte address in a {@code long[1]}, the same bytes as a
 * {@code CUdeviceptr}.
 *
 * <p>Use: {@code k.ptr(x).ptr(y).i(n).launch(...)}. The signature string ('p' pointer, 'i' int,
 * 'f' float, 'l' 64-bit integer) checks that the arguments match the .cu declaration in KERNELS.md.
 * Not thread-safe: the backend serialises launches.
 */
final class Kernel {
    /**
     * With {@code -Dlamina.cuda.sync=true} every launch waits for its kernel, so a kernel that faults
     * is named in the error (otherwise the fault shows at the next download). For debugging: slow.
     */
    static final boolean SYNC_EACH_LAUNCH = Boolean.getBoolean("lamina.cuda.sync");

    private final String name;
    private final CUfunction function;
    private final String signature;
    private final long[][] longs;
    private final int[][] ints;
    private final float[][] floats;
    private final Pointer parameters;
    private final LaunchLog log;
    private int next;

    Kernel(String name, CUfunction function, String signature, LaunchLog log) {
        this.log = log;
        this.name = name;
        this.function = function;
        this.signature = signature;
        int count = signature.length();
        longs = new long[count][];
        ints = new int[count][];
        floats = new float[count][];
        NativePointerObject[] slots = new NativePointerObject[count];
        for (int s = 0; s < count; s++) {
            switch (signature.charAt(s)) {
                case 'p':
                case 'l':
                    longs[s] = new long[1];
                    slots[s] = Pointer.to(longs[s]);
                    break;
                case 'i':
                    ints[s] = new int[1];
                    slots[s] = Pointer.to(ints[s]);
                    break;
                case 'f':
                    floats[s] = new float[1];
                    slots[s] = Pointer.to(floats[s]);
                    break;
                default:
                    throw new IllegalArgumentException("Bad signature '" + signature + "' for " + name);
            }
        }
        parameters = Pointer.to(slots);
    }

    String name() {
        return name;
    }

    /** A device pointer argument (an address from {@link CudaStorage#address}; 0 for a null pointer). */
    Kernel ptr(long address) {
        longs[slot('p')][0] = address;
        return this;
    }

    Kernel i(int value) {
        ints[slot('i')][0] = value;
        return this;
    }

    Kernel i(boolean value) {
        return i(value ? 1 : 0);
    }

    Kernel f(float value) {
        floats[slot('f')][0] = value;
        return this;
    }

    /** An {@code unsigned long long} argument. */
    Kernel l(long value) {
        longs[slot('l')][0] = value;
        return this;
    }

    private int slot(char type) {
        int s = next;
        if (s >= signature.length() || signature.charAt(s) != type) {
            next = 0;
            throw new IllegalStateException("Kernel " + name + " (" + signature + "): argument " + s
                    + " given as '" + type + "'");
        }
        next = s + 1;
        return s;
    }

    /** Queues the kernel on the stream with the arguments set since the last launch. */
    void launch(CUstream stream, int gridX, int gridY, int blockX, int blockY) {
        launch(stream, gridX, gridY, blockX, blockY, 1);
    }

    /** As {@link #launch(CUstream, int, int, int, int)} with a third grid dimension. */
    void launch(CUstream stream, int gridX, int gridY, int blockX, int blockY, int gridZ) {
        if (next != signature.length()) {
            int given = next;
            next = 0;
            throw new IllegalStateException("Kernel " + name + " (" + signature + ") launched with " + given + " arguments");
        }
        next = 0;
        try {
            cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, 1, 0, stream, parameters, null);
            log.add(name);
            if (SYNC_EACH_LAUNCH) {
                cuStreamSynchronize(stream);
                log.clear();
            }
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("launching kernel " + name + " (grid " + gridX + "x" + gridY + "x" + gridZ
                    + ", block " + blockX + "x" + blockY + ")" + log.describe(), e);
        }
    }
}
