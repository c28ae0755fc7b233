package dev.lamina.cuda;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;

import dev.lamina.LaminaException;
import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.LossKind;
import dev.lamina.backend.UnaryOp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * The module of Lamina's kernels, loaded from the PTX shipped as a resource, with every function
 * looked up once. The signatures are those of {@code src/main/cuda/KERNELS.md}: 'p' a device
 * pointer, 'i' int, 'f' float, 'l' unsigned long long, in parameter order.
 */
final class Kernels implements AutoCloseable {
    static final String PTX_RESOURCE = "/dev/lamina/cuda/lamina.ptx";

    /**
     * The enum orders the kernels hard-code (KERNELS.md). A change in core must change the .cu too;
     * this check makes the mismatch fail at once rather than compute the wrong function.
     */
    static final List<String> ACTIVATIONS = List.of("LINEAR", "RELU", "ELU", "GELU", "SELU", "SWISH", "SIGMOID",
            "TANH", "SOFTMAX", "SOFTPLUS", "LEAKY_RELU");
    static final List<String> UNARY_OPS = List.of("NEG", "ABS", "SIGN", "SQUARE", "SQRT", "EXP", "LOG", "RECIPROCAL", "STEP");
    static final List<String> BINARY_OPS = List.of("ADD", "SUB", "MUL", "DIV", "MAX", "MIN", "EQUAL", "GREATER");
    static final List<String> LOSSES = List.of("MEAN_SQUARED_ERROR", "MEAN_ABSOLUTE_ERROR", "HUBER", "BINARY_CROSSENTROPY",
            "BINARY_CROSSENTROPY_FROM_LOGITS", "CATEGORICAL_CROSSENTROPY", "CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
            "SPARSE_CATEGORICAL_CROSSENTROPY", "SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS");

    private static volatile String ptx;

    private final CUmodule module;
    private final LaunchLog log;

    // class E: element-wise, grid-stride
    final Kernel fill;
    final Kernel biasAdd;
    final Kernel columnScale;
    final Kernel activationForward;
    final Kernel activationBackward;
    final Kernel biasActivationForward;
    final Kernel unary;
    final Kernel binary;
    final Kernel affine;
    final Kernel axpby;
    final Kernel clamp;
    final Kernel oneHot;
    final Kernel gatherRows;
    final Kernel dropoutMask;
    final Kernel sgdUpdate;
    final Kernel adamUpdate;
    final Kernel rmspropUpdate;
    final Kernel adagradUpdate;
    final Kernel splitkReduce;
    final Kernel scaleByNorm;
    // class R: one block per row
    final Kernel rowSums;
    final Kernel softmaxRows;
    final Kernel softmaxBackwardRows;
    final Kernel logSumExpRows;
    final Kernel argmaxRows;
    final Kernel lossRows;
    final Kernel sumPartials;
    // class C: column reduction
    final Kernel columnSums;
    // class S1: one block
    final Kernel sumFinish;
    // class G: GEMM
    final Kernel sgemm128;
    final Kernel sgemm64;
    final Kernel sgemm64SplitK;

    /** @param log where launches are recorded, so late errors can name the kernels queued */
    Kernels(LaunchLog log) {
        this.log = log;
        checkEnumOrders();
        module = PtxModule.get(); // loaded (and JIT-compiled) once per process
        fill = get("lamina_fill", "pif");
        biasAdd = get("lamina_bias_add", "pppii");
        columnScale = get("lamina_column_scale", "pppii");
        activationForward = get("lamina_activation_forward", "ippi");
        activationBackward = get("lamina_activation_backward", "ippppi");
        biasActivationForward = get("lamina_bias_activation_forward", "ippppii");
        unary = get("lamina_unary", "ippi");
        binary = get("lamina_binary", "ipppi");
        affine = get("lamina_affine", "pffpi");
        axpby = get("lamina_axpby", "fpfpi");
        clamp = get("lamina_clamp", "pffpi");
        oneHot = get("lamina_one_hot", "ppii");
        gatherRows = get("lamina_gather_rows", "pipiip");
        dropoutMask = get("lamina_dropout_mask", "llffpi");
        sgdUpdate = get("lamina_sgd_update", "pppiffi");
        adamUpdate = get("lamina_adam_update", "ppppiffffff");
        scaleByNorm = get("lamina_scale_by_norm", "pipf");
        rmspropUpdate = get("lamina_rmsprop_update", "pppifff");
        adagradUpdate = get("lamina_adagrad_update", "pppiff");
        splitkReduce = get("lamina_splitk_reduce", "piiifpi");
        rowSums = get("lamina_row_sums", "piip");
        softmaxRows = get("lamina_softmax_rows", "ppii");
        softmaxBackwardRows = get("lamina_softmax_backward_rows", "pppii");
        logSumExpRows = get("lamina_log_sum_exp_rows", "piip");
        argmaxRows = get("lamina_argmax_rows", "piip");
        lossRows = get("lamina_loss_rows", "ippiifpp");
        sumPartials = get("lamina_sum_partials", "piip");
        columnSums = get("lamina_column_sums", "piip");
        sumFinish = get("lamina_sum_finish", "piifpii");
        sgemm128 = get("lamina_sgemm_128x128", "iiiiifpipifpi");
        sgemm64 = get("lamina_sgemm_64x64", "iiiiifpipifpi");
        sgemm64SplitK = get("lamina_sgemm_64x64_splitk", "iiiiiifpipip");
    }

    private Kernel get(String name, String signature) {
        CUfunction function = new CUfunction();
        try {
            cuModuleGetFunction(function, module, name);
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("cuModuleGetFunction(" + name + ") in " + PTX_RESOURCE, e);
        }
        return new Kernel(name, function, signature, log);
    }

    /** The shipped PTX, read once. */
    static String ptxSource() {
        String source = ptx;
        if (source == null) {
            try (InputStream in = Kernels.class.getResourceAsStream(PTX_RESOURCE)) {
                if (in == null) {
                    throw new LaminaException("The CUDA kernels " + PTX_RESOURCE + " are missing from lamina-cuda's jar.");
                }
                source = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("Reading " + PTX_RESOURCE, e);
            }
            ptx = source;
        }
        return source;
    }

    static void checkEnumOrders() {
        check("ActivationKind", Arrays.stream(ActivationKind.values()).map(Enum::name).toList(), ACTIVATIONS);
        check("UnaryOp", Arrays.stream(UnaryOp.values()).map(Enum::name).toList(), UNARY_OPS);
        check("BinaryOp", Arrays.stream(BinaryOp.values()).map(Enum::name).toList(), BINARY_OPS);
        check("LossKind", Arrays.stream(LossKind.values()).map(Enum::name).toList(), LOSSES);
    }

    private static void check(String what, List<String> actual, List<String> kernels) {
        if (!actual.equals(kernels)) {
            throw new IllegalStateException("The CUDA kernels number " + what + " as " + kernels + " but core has "
                    + actual + "; update lamina.cu, KERNELS.md and Kernels.java together.");
        }
    }

    /** Nothing to give back: the module is shared by every backend of the process (see {@link PtxModule}). */
    @Override
    public void close() {
    }
}
