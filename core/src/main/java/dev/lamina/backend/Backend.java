package dev.lamina.backend;

/**
 * The seam between Lamina's front end and the hardware. Everything a training step needs is here,
 * so tensors stay on the backend's device for the whole of {@code fit}.
 *
 * <p>Conventions for every op:
 * <ul>
 *   <li>float32, row-major; matrices are packed (the leading dimension is the row length);</li>
 *   <li>sizes are given explicitly, so a buffer may be larger than the data it holds (the last,
 *       partial batch reuses the full batch's buffers);</li>
 *   <li>ops may run asynchronously; {@link #download} waits for all work queued before it;</li>
 *   <li>unless a method says otherwise, an output may be the same storage as an input of the same
 *       shape (in-place), but must not partially overlap it.</li>
 * </ul>
 *
 * <p>The primitives are abstract. The fused ops ({@link #denseForward}, {@link #loss},
 * {@link #adamUpdate}, ...) are default methods built from the primitives in {@link FusedOps}, so a
 * new backend works with primitives alone; a backend overrides a fused op when one kernel is
 * faster, and the conformance suite checks the override against the default.
 */
public interface Backend extends AutoCloseable {

    /** The name users select the backend by: "reference", "cpu", "cuda". */
    String name();

    /** One or more lines for users: the device, its memory, the code paths in use. */
    String description();

    // ---------------------------------------------------------------- storage

    /** A new storage of {@code size} floats, all zero. */
    Storage allocate(long size);

    /** A new index storage of {@code size} ints, all zero. */
    IndexStorage allocateIndices(int size);

    /** Gives the memory back; the storage must not be used afterwards. Releasing twice is an error. */
    void release(Storage storage);

    void release(IndexStorage storage);

    void upload(float[] src, int srcOffset, Storage dst, long dstOffset, int length);

    /** Copies to the host after all queued work has finished. */
    void download(Storage src, long srcOffset, float[] dst, int dstOffset, int length);

    void uploadIndices(int[] src, int srcOffset, IndexStorage dst, int dstOffset, int length);

    void copy(Storage src, long srcOffset, Storage dst, long dstOffset, long length);

    void fill(Storage dst, long offset, long length, float value);

    /** Waits until all queued work has finished. */
    default void synchronize() {
    }

    /** Releases what the backend holds itself (pools, contexts, threads). */
    @Override
    default void close() {
    }

    // ---------------------------------------------------------------- primitives

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C}, with op(A) m×k and op(B) k×n. A is stored m×k, or
     * k×m when {@code transA}; B is stored k×n, or n×k when {@code transB}. When beta is 0, C is
     * not read (NaN in C does not propagate), as in BLAS. C must not overlap A or B.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, Storage a, Storage b, float beta, Storage c);

    /** {@code y[i][j] = x[i][j] + bias[j]}. */
    void biasAdd(Storage x, Storage bias, int rows, int cols, Storage y);

    /** {@code db[j] = Σ_i dy[i][j]} (column sums; overwrites db). */
    void biasGradient(Storage dy, int rows, int cols, Storage db);

    /** {@code y[i][j] = x[i][j] · scale[j]}. */
    void columnScale(Storage x, Storage scale, int rows, int cols, Storage y);

    /** {@code out[i] = Σ_j x[i][j]}. */
    void rowSums(Storage x, int rows, int cols, Storage out);

    /** {@code y = f(x)}; softmax works along rows. */
    void activationForward(ActivationKind kind, Storage x, Storage y, int rows, int cols);

    /**
     * {@code dx = f'(x) ⊙ dy} given x, y = f(x) and dy; for softmax
     * {@code dx[i][j] = y[i][j]·(dy[i][j] − Σ_k dy[i][k]·y[i][k])}. dx may be the same storage as dy.
     */
    void activationBackward(ActivationKind kind, Storage x, Storage y, Storage dy, Storage dx, int rows, int cols);

    /** {@code out[i] = log Σ_j exp(x[i][j])}, computed with the row maximum subtracted. */
    void logSumExpRows(Storage x, int rows, int cols, Storage out);

    /** {@code out[i]} = the index of the largest element of row i (the first one on ties), as a float. */
    void argmaxRows(Storage x, int rows, int cols, Storage out);

    /**
     * {@code out[i][j] = 1} where {@code j == labels[i]}, else 0; a label outside [0, classes)
     * gives a row of zeros.
     */
    void oneHot(Storage labels, int rows, int classes, Storage out);

    /** {@code y[i] = op(x[i])} for i &lt; n. */
    void unary(UnaryOp op, Storage x, Storage y, int n);

    /** {@code out[i] = op(a[i], b[i])} for i &lt; n. */
    void binary(BinaryOp op, Storage a, Storage b, Storage out, int n);

    /** {@code y[i] = alpha·x[i] + beta}. */
    void affine(Storage x, float alpha, float beta, Storage y, int n);

    /** {@code y[i] = alpha·x[i] + beta·y[i]}; when beta is 0, y is not read. */
    void axpby(float alpha, Storage x, float beta, Storage y, int n);

    /** {@code y[i] = min(max(x[i], lo), hi)}. */
    void clamp(Storage x, float lo, float hi, Storage y, int n);

    /**
     * {@code out[outIndex] = scale·Σ_{i<n} x[i]}, plus the old {@code out[outIndex]} when
     * {@code accumulate}. The result stays on the device: no host synchronisation.
     */
    void sum(Storage x, int n, float scale, Storage out, int outIndex, boolean accumulate);

    /** {@code dst[r] = src[indices[indexOffset + r]]} for each row r &lt; rows of {@code cols} floats. */
    void gatherRows(Storage src, int cols, IndexStorage indices, int indexOffset, int rows, Storage dst);

    /**
     * The inverted-dropout mask: {@code mask[i] = Philox.uniform(seed, offset + i) >= rate ? 1/(1−rate) : 0}.
     */
    void dropoutMask(long seed, long offset, float rate, Storage mask, int n);

    /** {@code x *= min(1, maxNorm / ‖x‖₂)} without a host round trip. */
    void clipByNorm(Storage x, int n, float maxNorm);

    // ---------------------------------------------------------------- fused ops (defaults in FusedOps)

    /**
     * One Dense layer forward: {@code z = x·W + b}, {@code y = act(z)}. x is rows×in, W in×out,
     * b out, z and y rows×out. For a linear activation z may be y.
     */
    default void denseForward(Storage x, Storage kernel, Storage bias, ActivationKind activation,
                              int rows, int in, int out, Storage z, Storage y) {
        FusedOps.denseForward(this, x, kernel, bias, activation, rows, in, out, z, y);
    }

    /**
     * One Dense layer backward, given dy = dL/dy: {@code dz = act'(z) ⊙ dy} (into dz, which may be
     * dy), {@code dW = xᵀ·dz}, {@code db = Σ_rows dz}, and {@code dx = dz·Wᵀ} unless dx is null
     * (the first layer needs no input gradient). Gradients are overwritten, not accumulated.
     */
    default void denseBackward(Storage x, Storage kernel, ActivationKind activation, Storage z, Storage y,
                               Storage dy, int rows, int in, int out,
                               Storage dz, Storage dKernel, Storage dBias, Storage dx) {
        FusedOps.denseBackward(this, x, kernel, activation, z, y, dy, rows, in, out, dz, dKernel, dBias, dx);
    }

    /**
     * A loss and its gradient for a batch: writes the batch's mean loss (see {@link LossKind}) to
     * {@code lossOut[lossIndex]} and {@code grad = ∂loss/∂pred} (rows×cols). For sparse losses
     * {@code target} is rows×1 class indices; otherwise rows×cols. {@code param} is Huber's delta.
     */
    default void loss(LossKind kind, Storage pred, Storage target, int rows, int cols, float param,
                      Storage grad, Storage lossOut, int lossIndex, Scratch scratch) {
        FusedOps.loss(this, kind, pred, target, rows, cols, param, grad, lossOut, lossIndex, scratch);
    }

    /**
     * SGD as Keras: {@code v = momentum·v − lr·g}; then {@code w += momentum·v − lr·g} (Nesterov)
     * or {@code w += v}; with momentum 0, {@code w −= lr·g} and v is not used (may be null).
     */
    default void sgdUpdate(Storage w, Storage g, Storage velocity, int n, float lr, float momentum,
                           boolean nesterov, Scratch scratch) {
        FusedOps.sgdUpdate(this, w, g, velocity, n, lr, momentum, nesterov, scratch);
    }

    /**
     * Adam as Keras: {@code m += (1−β1)(g − m)}, {@code v += (1−β2)(g² − v)},
     * {@code w −= lrT·m / (√v + ε)} where the caller passes {@code lrT = lr·√(1−β2ᵗ)/(1−β1ᵗ)}.
     * With {@code weightDecay > 0} (AdamW) it first applies {@code w −= lr·weightDecay·w}.
     */
    default void adamUpdate(Storage w, Storage g, Storage m, Storage v, int n, float lr, float lrT,
                            float beta1, float beta2, float epsilon, float weightDecay, Scratch scratch) {
        FusedOps.adamUpdate(this, w, g, m, v, n, lr, lrT, beta1, beta2, epsilon, weightDecay, scratch);
    }

    /**
     * RMSprop as Keras (no momentum, not centered): {@code v = ρ·v + (1−ρ)·g²},
     * {@code w −= lr·g / √(v + ε)}.
     */
    default void rmspropUpdate(Storage w, Storage g, Storage v, int n, float lr, float rho, float epsilon, Scratch scratch) {
        FusedOps.rmspropUpdate(this, w, g, v, n, lr, rho, epsilon, scratch);
    }

    /** Adagrad as Keras: {@code a += g²}, {@code w −= lr·g / √(a + ε)}. */
    default void adagradUpdate(Storage w, Storage g, Storage accumulator, int n, float lr, float epsilon, Scratch scratch) {
        FusedOps.adagradUpdate(this, w, g, accumulator, n, lr, epsilon, scratch);
    }
}
