// Lamina's CUDA kernels. The contract (signatures, launch geometry) is KERNELS.md next to this file.
//
// This one source is compiled twice:
//   - by nvcc to PTX (compute_75, PTX ISA rewritten to 8.0) shipped in the jar;
//   - by g++ -std=c++20 against src/test/native/cuda_host.h into the emulated driver used by the
//     tests on machines without a GPU. Everything here must therefore stay within what that
//     header provides: threadIdx/blockIdx/blockDim/gridDim, __shared__ (static, no dynamic shared
//     memory), __syncthreads, float2/float4, and plain C math functions. No warp shuffles.
//
// Numerics follow the definitions in core (ActivationKind, UnaryOp, BinaryOp, FusedOps, Philox);
// fmaf is written out where the reference rounds once, so that the GPU and the emulator agree.

#ifndef __CUDACC__
#include "cuda_host.h"
#define LAMINA_REQUIRE(cond, what)                      \
    do {                                                \
        if (!(cond)) {                                  \
            lamina_emu_kernel_error(__func__, (what));  \
            return;                                     \
        }                                               \
    } while (0)
#else
#define LAMINA_REQUIRE(cond, what) do { } while (0)
#endif

#include <stdint.h>

#define LAMINA_INT_MAX 2147483647

// ---------------------------------------------------------------- enum ordinals (see KERNELS.md)

enum { ACT_LINEAR = 0, ACT_RELU, ACT_ELU, ACT_GELU, ACT_SELU, ACT_SWISH, ACT_SIGMOID, ACT_TANH,
       ACT_SOFTMAX, ACT_SOFTPLUS, ACT_LEAKY_RELU };
enum { UN_NEG = 0, UN_ABS, UN_SIGN, UN_SQUARE, UN_SQRT, UN_EXP, UN_LOG, UN_RECIPROCAL, UN_STEP };
enum { BIN_ADD = 0, BIN_SUB, BIN_MUL, BIN_DIV, BIN_MAX, BIN_MIN, BIN_EQUAL, BIN_GREATER };
enum { LOSS_MSE = 0, LOSS_MAE, LOSS_HUBER, LOSS_BCE, LOSS_BCE_LOGITS, LOSS_CCE, LOSS_CCE_LOGITS,
       LOSS_SCCE, LOSS_SCCE_LOGITS };

#define SELU_SCALE 1.0507009873554805f
#define SELU_SCALE_ALPHA 1.7580993408473766f  /* SELU_SCALE * SELU_ALPHA, product taken in double */
#define LEAKY_SLOPE 0.2f
#define INV_SQRT2 0.70710678118654752f
#define INV_SQRT_2PI 0.39894228040143268f
#define LAMINA_EPSILON 1e-7f

// Grid-stride loop over [0, n) for the whole grid, with 64-bit indices.
#define GRID_STRIDE(i, n)                                                             \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)

// ---------------------------------------------------------------- scalar helpers

// Java's Math.max / Math.min on floats: NaN wins, +0 is larger than -0.
static __device__ __forceinline__ float jmax(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0f && b == 0.0f) return signbit(a) ? b : a;
    return a >= b ? a : b;
}

static __device__ __forceinline__ float jmin(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0f && b == 0.0f) return signbit(a) ? a : b;
    return a <= b ? a : b;
}

// Java's Math.signum: ±1, or x itself for ±0 and NaN.
static __device__ __forceinline__ float jsignum(float x) {
    return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : x);
}

static __device__ __forceinline__ float sigmoid_f(float x) {
    if (x >= 0.0f) {
        return 1.0f / (1.0f + expf(-x));
    }
    float e = expf(x);
    return e / (1.0f + e);
}

static __device__ __forceinline__ float softplus_f(float x) {
    return fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x)));
}

static __device__ float activation_apply(int kind, float x) {
    switch (kind) {
        case ACT_LINEAR: return x;
        case ACT_RELU: return x > 0.0f ? x : 0.0f;
        case ACT_ELU: return x > 0.0f ? x : expm1f(x);
        // 0.5·x·(1 + erf(x/√2)) = 0.5·x·erfc(−x/√2), accurate also where erf(x/√2) is close to −1
        case ACT_GELU: return 0.5f * x * erfcf(-x * INV_SQRT2);
        case ACT_SELU: return x > 0.0f ? SELU_SCALE * x : SELU_SCALE_ALPHA * expm1f(x);
        case ACT_SWISH: return x * sigmoid_f(x);
        case ACT_SIGMOID: return sigmoid_f(x);
        case ACT_TANH: return tanhf(x);
        case ACT_SOFTPLUS: return softplus_f(x);
        case ACT_LEAKY_RELU: return x > 0.0f ? x : LEAKY_SLOPE * x;
        default: return x;  // SOFTMAX has its own row kernel
    }
}

// f'(x) given x and y = f(x), as ActivationKind.derivative.
static __device__ float activation_derivative(int kind, float x, float y) {
    switch (kind) {
        case ACT_LINEAR: return 1.0f;
        case ACT_RELU: return x > 0.0f ? 1.0f : 0.0f;
        case ACT_ELU: return x > 0.0f ? 1.0f : y + 1.0f;
        case ACT_GELU:
            return 0.5f * erfcf(-x * INV_SQRT2) + x * expf(-0.5f * x * x) * INV_SQRT_2PI;
        case ACT_SELU: return x > 0.0f ? SELU_SCALE : y + SELU_SCALE_ALPHA;
        case ACT_SWISH: {
            float s = sigmoid_f(x);
            return s + x * s * (1.0f - s);
        }
        case ACT_SIGMOID: return y * (1.0f - y);
        case ACT_TANH: return 1.0f - y * y;
        case ACT_SOFTPLUS: return sigmoid_f(x);
        case ACT_LEAKY_RELU: return x > 0.0f ? 1.0f : LEAKY_SLOPE;
        default: return 1.0f;
    }
}

static __device__ float unary_apply(int op, float x) {
    switch (op) {
        case UN_NEG: return -x;
        case UN_ABS: return fabsf(x);
        case UN_SIGN: return jsignum(x);
        case UN_SQUARE: return x * x;
        case UN_SQRT: return sqrtf(x);
        case UN_EXP: return expf(x);
        case UN_LOG: return logf(x);
        case UN_RECIPROCAL: return 1.0f / x;
        case UN_STEP: return x > 0.0f ? 1.0f : 0.0f;
        default: return x;
    }
}

static __device__ float binary_apply(int op, float a, float b) {
    switch (op) {
        case BIN_ADD: return a + b;
        case BIN_SUB: return a - b;
        case BIN_MUL: return a * b;
        case BIN_DIV: return a / b;
        case BIN_MAX: return jmax(a, b);
        case BIN_MIN: return jmin(a, b);
        case BIN_EQUAL: return a == b ? 1.0f : 0.0f;
        case BIN_GREATER: return a > b ? 1.0f : 0.0f;
        default: return a;
    }
}

// Philox4x32-10, line for line as dev.lamina.backend.Philox.bits: counter (lo(index), hi(index), 0, 0),
// key (lo(seed), hi(seed)).
static __device__ __forceinline__ unsigned int philox_bits(unsigned long long seed, unsigned long long index) {
    unsigned int c0 = (unsigned int)index;
    unsigned int c1 = (unsigned int)(index >> 32);
    unsigned int c2 = 0u;
    unsigned int c3 = 0u;
    unsigned int k0 = (unsigned int)seed;
    unsigned int k1 = (unsigned int)(seed >> 32);
    for (int round = 0; round < 10; ++round) {
        unsigned long long p0 = 0xD2511F53ull * (unsigned long long)c0;
        unsigned long long p1 = 0xCD9E8D57ull * (unsigned long long)c2;
        unsigned int hi0 = (unsigned int)(p0 >> 32);
        unsigned int lo0 = (unsigned int)p0;
        unsigned int hi1 = (unsigned int)(p1 >> 32);
        unsigned int lo1 = (unsigned int)p1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return c0;
}

static __device__ __forceinline__ float philox_uniform(unsigned long long seed, unsigned long long index) {
    return (float)(philox_bits(seed, index) >> 8) * 5.9604644775390625e-8f;  // 2^-24
}

#ifndef __CUDACC__
static inline bool is_pow2(unsigned int v) {  // only the emulator checks launch shapes
    return v != 0u && (v & (v - 1u)) == 0u;
}
#endif

// ---------------------------------------------------------------- block reductions (blockDim.x a power of two)

// Sum of v over the block's threads, returned to every thread. sh holds ≥ blockDim.x floats.
static __device__ float block_sum(float v, float* sh) {
    unsigned int t = threadIdx.x;
    sh[t] = v;
    __syncthreads();
    for (unsigned int s = blockDim.x >> 1; s > 0u; s >>= 1) {
        if (t < s) {
            sh[t] += sh[t + s];
        }
        __syncthreads();
    }
    float r = sh[0];
    __syncthreads();  // sh may be reused right after
    return r;
}

static __device__ float block_max(float v, float* sh) {
    unsigned int t = threadIdx.x;
    sh[t] = v;
    __syncthreads();
    for (unsigned int s = blockDim.x >> 1; s > 0u; s >>= 1) {
        if (t < s) {
            sh[t] = fmaxf(sh[t], sh[t + s]);
        }
        __syncthreads();
    }
    float r = sh[0];
    __syncthreads();
    return r;
}

#define REQUIRE_ROW_BLOCK()                                                                 \
    LAMINA_REQUIRE(is_pow2(blockDim.x) && blockDim.x <= 1024u && blockDim.y == 1u && blockDim.z == 1u, \
                   "class R kernel: block must be (P,1,1) with P a power of two <= 1024")

// ================================================================ class E: element-wise

extern "C" __global__ void lamina_fill(float* y, int n, float value) {
    GRID_STRIDE(i, n) {
        y[i] = value;
    }
}

extern "C" __global__ void lamina_bias_add(const float* x, const float* bias, float* y, int rows, int cols) {
    long long n = (long long)rows * cols;
    GRID_STRIDE(i, n) {
        y[i] = x[i] + bias[i % cols];
    }
}

extern "C" __global__ void lamina_column_scale(const float* x, const float* scale, float* y, int rows, int cols) {
    long long n = (long long)rows * cols;
    GRID_STRIDE(i, n) {
        y[i] = x[i] * scale[i % cols];
    }
}

extern "C" __global__ void lamina_activation_forward(int kind, const float* x, float* y, int n) {
    LAMINA_REQUIRE(kind != ACT_SOFTMAX, "softmax is lamina_softmax_rows");
    GRID_STRIDE(i, n) {
        y[i] = activation_apply(kind, x[i]);
    }
}

extern "C" __global__ void lamina_activation_backward(int kind, const float* x, const float* y, const float* dy,
                                                      float* dx, int n) {
    LAMINA_REQUIRE(kind != ACT_SOFTMAX, "softmax backward is lamina_softmax_backward_rows");
    GRID_STRIDE(i, n) {
        dx[i] = activation_derivative(kind, x[i], y[i]) * dy[i];
    }
}

extern "C" __global__ void lamina_bias_activation_forward(int kind, const float* x, const float* bias, float* z,
                                                          float* y, int rows, int cols) {
    LAMINA_REQUIRE(kind != ACT_SOFTMAX, "softmax is lamina_softmax_rows");
    long long n = (long long)rows * cols;
    GRID_STRIDE(i, n) {
        float v = x[i] + bias[i % cols];
        z[i] = v;
        y[i] = activation_apply(kind, v);
    }
}

extern "C" __global__ void lamina_unary(int op, const float* x, float* y, int n) {
    GRID_STRIDE(i, n) {
        y[i] = unary_apply(op, x[i]);
    }
}

extern "C" __global__ void lamina_binary(int op, const float* a, const float* b, float* out, int n) {
    GRID_STRIDE(i, n) {
        out[i] = binary_apply(op, a[i], b[i]);
    }
}

extern "C" __global__ void lamina_affine(const float* x, float alpha, float beta, float* y, int n) {
    GRID_STRIDE(i, n) {
        y[i] = fmaf(alpha, x[i], beta);
    }
}

extern "C" __global__ void lamina_axpby(float alpha, const float* x, float beta, float* y, int n) {
    if (beta == 0.0f) {
        GRID_STRIDE(i, n) {
            y[i] = alpha * x[i];
        }
    } else {
        GRID_STRIDE(i, n) {
            y[i] = fmaf(alpha, x[i], beta * y[i]);
        }
    }
}

extern "C" __global__ void lamina_clamp(const float* x, float lo, float hi, float* y, int n) {
    GRID_STRIDE(i, n) {
        y[i] = jmin(jmax(x[i], lo), hi);
    }
}

extern "C" __global__ void lamina_one_hot(const float* labels, float* out, int rows, int classes) {
    long long n = (long long)rows * classes;
    GRID_STRIDE(i, n) {
        long long r = i / classes;
        int j = (int)(i - r * classes);
        out[i] = labels[r] == (float)j ? 1.0f : 0.0f;
    }
}

extern "C" __global__ void lamina_gather_rows(const float* src, int cols, const int* indices, int indexOffset,
                                              int rows, float* dst) {
    long long n = (long long)rows * cols;
    GRID_STRIDE(i, n) {
        long long r = i / cols;
        long long c = i - r * cols;
        dst[i] = src[(long long)indices[indexOffset + r] * cols + c];
    }
}

extern "C" __global__ void lamina_dropout_mask(unsigned long long seed, unsigned long long offset, float rate,
                                               float keep, float* mask, int n) {
    GRID_STRIDE(i, n) {
        mask[i] = philox_uniform(seed, offset + (unsigned long long)i) >= rate ? keep : 0.0f;
    }
}

extern "C" __global__ void lamina_sgd_update(float* w, const float* g, float* velocity, int n, float lr,
                                             float momentum, int nesterov) {
    if (momentum == 0.0f) {
        GRID_STRIDE(i, n) {
            w[i] = fmaf(-lr, g[i], w[i]);
        }
    } else {
        GRID_STRIDE(i, n) {
            float gi = g[i];
            float v = fmaf(-lr, gi, momentum * velocity[i]);
            velocity[i] = v;
            float wi = w[i];
            if (nesterov) {
                wi = fmaf(momentum, v, wi);
                wi = fmaf(-lr, gi, wi);
            } else {
                wi = v + wi;
            }
            w[i] = wi;
        }
    }
}

extern "C" __global__ void lamina_adam_update(float* w, const float* g, float* m, float* v, int n, float lr,
                                              float lrT, float beta1, float beta2, float epsilon,
                                              float weightDecay) {
    // The same steps and roundings as FusedOps.adamUpdate (1 − lr·wd rounded as Java does, no fma).
    float decay = __fsub_rn(1.0f, __fmul_rn(lr, weightDecay));
    float oneMinusBeta1 = 1.0f - beta1;
    float oneMinusBeta2 = 1.0f - beta2;
    GRID_STRIDE(i, n) {
        float wi = w[i];
        if (weightDecay > 0.0f) {
            wi = decay * wi;
        }
        float gi = g[i];
        float mi = fmaf(oneMinusBeta1, gi, beta1 * m[i]);
        float vi = fmaf(oneMinusBeta2, gi * gi, beta2 * v[i]);
        m[i] = mi;
        v[i] = vi;
        float s = sqrtf(vi) + epsilon;
        s = mi / s;
        w[i] = fmaf(-lrT, s, wi);
    }
}

// w −= lr·g / √(state + ε), the tail shared by RMSprop and Adagrad (FusedOps.divideBySqrtPlusEpsilon).
static __device__ __forceinline__ float step_by_root(float w, float g, float state, float lr, float epsilon) {
    float s = fmaf(1.0f, state, epsilon);
    s = sqrtf(s);
    s = g / s;
    return fmaf(-lr, s, w);
}

extern "C" __global__ void lamina_rmsprop_update(float* w, const float* g, float* v, int n, float lr, float rho,
                                                 float epsilon) {
    // As FusedOps.rmspropUpdate: v = (1−ρ)·g² + ρ·v; w −= lr·g / √(v + ε).
    const float oneMinusRho = 1.0f - rho;
    GRID_STRIDE(i, n) {
        float gi = g[i];
        float vi = fmaf(oneMinusRho, gi * gi, rho * v[i]);
        v[i] = vi;
        w[i] = step_by_root(w[i], gi, vi, lr, epsilon);
    }
}

extern "C" __global__ void lamina_adagrad_update(float* w, const float* g, float* acc, int n, float lr,
                                                 float epsilon) {
    // As FusedOps.adagradUpdate: acc += g²; w −= lr·g / √(acc + ε).
    GRID_STRIDE(i, n) {
        float gi = g[i];
        float ai = fmaf(1.0f, gi * gi, acc[i]);
        acc[i] = ai;
        w[i] = step_by_root(w[i], gi, ai, lr, epsilon);
    }
}

extern "C" __global__ void lamina_scale_by_norm(float* x, int n, const float* sumSquares, float maxNorm) {
    float norm = sqrtf(sumSquares[0]);
    if (!(norm > maxNorm)) {
        return;
    }
    float s = maxNorm / norm;
    GRID_STRIDE(i, n) {
        x[i] *= s;
    }
}

// ================================================================ class R: one block per row

extern "C" __global__ void lamina_row_sums(const float* x, int rows, int cols, float* out) {
    __shared__ float sh[1024];
    REQUIRE_ROW_BLOCK();
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + (long long)r * cols;
        float s = 0.0f;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            s += xr[j];
        }
        s = block_sum(s, sh);
        if (threadIdx.x == 0) {
            out[r] = s;
        }
    }
}

extern "C" __global__ void lamina_softmax_rows(const float* x, float* y, int rows, int cols) {
    __shared__ float sh[1024];
    REQUIRE_ROW_BLOCK();
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + (long long)r * cols;
        float* yr = y + (long long)r * cols;
        float mx = -INFINITY;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            mx = fmaxf(mx, xr[j]);
        }
        mx = block_max(mx, sh);
        float s = 0.0f;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            s += expf(xr[j] - mx);
        }
        s = block_sum(s, sh);  // its barriers also order all reads of x before the writes of y
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            yr[j] = expf(xr[j] - mx) / s;
        }
    }
}

extern "C" __global__ void lamina_softmax_backward_rows(const float* y, const float* dy, float* dx, int rows,
                                                        int cols) {
    __shared__ float sh[1024];
    REQUIRE_ROW_BLOCK();
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* yr = y + (long long)r * cols;
        const float* dyr = dy + (long long)r * cols;
        float* dxr = dx + (long long)r * cols;
        float dot = 0.0f;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            dot = fmaf(dyr[j], yr[j], dot);
        }
        dot = block_sum(dot, sh);
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            dxr[j] = yr[j] * (dyr[j] - dot);
        }
    }
}

extern "C" __global__ void lamina_log_sum_exp_rows(const float* x, int rows, int cols, float* out) {
    __shared__ float sh[1024];
    REQUIRE_ROW_BLOCK();
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + (long long)r * cols;
        float mx = -INFINITY;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            mx = fmaxf(mx, xr[j]);
        }
        mx = block_max(mx, sh);
        float s = 0.0f;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            s += expf(xr[j] - mx);
        }
        s = block_sum(s, sh);
        if (threadIdx.x == 0) {
            out[r] = mx + logf(s);
        }
    }
}

extern "C" __global__ void lamina_argmax_rows(const float* x, int rows, int cols, float* out) {
    __shared__ float shv[1024];
    __shared__ int shi[1024];
    REQUIRE_ROW_BLOCK();
    unsigned int t = threadIdx.x;
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + (long long)r * cols;
        // Each thread: the first maximum of its strided share, NaN skipped (as the reference's '>').
        float bv = 0.0f;
        int bi = LAMINA_INT_MAX;
        for (int j = t; j < cols; j += blockDim.x) {
            float v = xr[j];
            if (v == v && (bi == LAMINA_INT_MAX || v > bv)) {
                bv = v;
                bi = j;
            }
        }
        shv[t] = bv;
        shi[t] = bi;
        __syncthreads();
        for (unsigned int s = blockDim.x >> 1; s > 0u; s >>= 1) {
            if (t < s) {
                float ov = shv[t + s];
                int oi = shi[t + s];
                int mi = shi[t];
                if (oi != LAMINA_INT_MAX
                        && (mi == LAMINA_INT_MAX || ov > shv[t] || (ov == shv[t] && oi < mi))) {
                    shv[t] = ov;
                    shi[t] = oi;
                }
            }
            __syncthreads();
        }
        if (t == 0) {
            // The reference starts from index 0: a NaN there is never beaten.
            int best = (cols > 0 && xr[0] != xr[0]) || shi[0] == LAMINA_INT_MAX ? 0 : shi[0];
            out[r] = (float)best;
        }
        __syncthreads();
    }
}

// The loss of one row and its gradient; see KERNELS.md for what rowLoss holds per kind.
extern "C" __global__ void lamina_loss_rows(int kind, const float* pred, const float* target, int rows, int cols,
                                            float param, float* grad, float* rowLoss) {
    __shared__ float sh[1024];
    REQUIRE_ROW_BLOCK();
    LAMINA_REQUIRE(kind >= LOSS_MSE && kind <= LOSS_SCCE_LOGITS, "unknown loss kind");
    const float invN = 1.0f / (float)(rows * cols);
    const float invRows = 1.0f / (float)rows;
    const bool sparse = kind == LOSS_SCCE || kind == LOSS_SCCE_LOGITS;
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* p = pred + (long long)r * cols;
        const float* t = sparse ? target + r : target + (long long)r * cols;
        float* g = grad + (long long)r * cols;
        const float label = sparse ? t[0] : 0.0f;
#define TARGET(j) (sparse ? (label == (float)(j) ? 1.0f : 0.0f) : t[j])
        if (kind <= LOSS_BCE_LOGITS) {
            float acc = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                float x = p[j];
                float y = t[j];
                float l;
                float gj;
                switch (kind) {
                    case LOSS_MSE: {
                        float d = x - y;
                        l = d * d;
                        gj = (2.0f * invN) * d;
                        break;
                    }
                    case LOSS_MAE: {
                        float d = x - y;
                        l = fabsf(d);
                        gj = jsignum(d) * invN;
                        break;
                    }
                    case LOSS_HUBER: {
                        float delta = param;
                        float d = x - y;
                        float a = fabsf(d);
                        float q = jmin(jmax(a, 0.0f), delta);
                        l = delta * (a - q) + 0.5f * (q * q);
                        gj = jmin(jmax(d, -delta), delta) * invN;
                        break;
                    }
                    case LOSS_BCE: {
                        float c = jmin(jmax(x, LAMINA_EPSILON), 1.0f - LAMINA_EPSILON);
                        float oneMinusC = 1.0f - c;
                        l = -(y * logf(c) + (1.0f - y) * logf(oneMinusC));
                        bool inside = (x - LAMINA_EPSILON) > 0.0f && ((1.0f - LAMINA_EPSILON) - x) > 0.0f;
                        gj = inside ? ((c - y) / (c * oneMinusC)) * invN : 0.0f;
                        break;
                    }
                    default: {  // LOSS_BCE_LOGITS
                        l = (fmaxf(x, 0.0f) - x * y) + softplus_f(-fabsf(x));
                        gj = (sigmoid_f(x) - y) * invN;
                        break;
                    }
                }
                acc += l;
                g[j] = gj;
            }
            acc = block_sum(acc, sh);
            if (threadIdx.x == 0) {
                rowLoss[r] = acc;
            }
        } else if (kind == LOSS_CCE || kind == LOSS_SCCE) {
            // q = p / S, c = clip(q), loss = −Σ y·log c; G = −y/c/rows masked; grad = (G − Σ G·q) / S
            float s = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                s += p[j];
            }
            s = block_sum(s, sh);
            const float inv = 1.0f / s;
            float lossAcc = 0.0f;
            float gq = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                float y = TARGET(j);
                float q = p[j] * inv;
                float c = jmin(jmax(q, LAMINA_EPSILON), 1.0f - LAMINA_EPSILON);
                lossAcc += y * logf(c);
                bool inside = (q - LAMINA_EPSILON) > 0.0f && ((1.0f - LAMINA_EPSILON) - q) > 0.0f;
                float G = inside ? (-invRows) * (y / c) : 0.0f;
                gq += G * q;
                g[j] = G;  // read back below by this same thread only
            }
            lossAcc = block_sum(lossAcc, sh);
            gq = block_sum(gq, sh);
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                g[j] = (g[j] - gq) * inv;
            }
            if (threadIdx.x == 0) {
                rowLoss[r] = -lossAcc;
            }
        } else {
            // logits: loss = lse·Σy − Σ y·x; grad = (softmax·Σy − y) / rows
            float mx = -INFINITY;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                mx = fmaxf(mx, p[j]);
            }
            mx = block_max(mx, sh);
            float se = 0.0f;
            float ts = 0.0f;
            float tx = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                float y = TARGET(j);
                se += expf(p[j] - mx);
                ts += y;
                tx += y * p[j];
            }
            se = block_sum(se, sh);
            ts = block_sum(ts, sh);
            tx = block_sum(tx, sh);
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                float y = TARGET(j);
                float sm = expf(p[j] - mx) / se;
                g[j] = (sm * ts - y) * invRows;
            }
            if (threadIdx.x == 0) {
                rowLoss[r] = (mx + logf(se)) * ts - tx;
            }
        }
#undef TARGET
    }
}

// ================================================================ class C: column sums

extern "C" __global__ void lamina_column_sums(const float* x, int rows, int cols, float* out) {
    __shared__ float sh[1024];
    LAMINA_REQUIRE(is_pow2(blockDim.y) && blockDim.x * blockDim.y <= 1024u && blockDim.z == 1u,
                   "class C kernel: block must be (BX,BY,1), BY a power of two, BX*BY <= 1024");
    const unsigned int tx = threadIdx.x;
    const unsigned int ty = threadIdx.y;
    const unsigned int bx = blockDim.x;
    for (long long c0 = (long long)blockIdx.x * bx; c0 < cols; c0 += (long long)gridDim.x * bx) {
        long long c = c0 + tx;
        float s = 0.0f;
        if (c < cols) {
            for (long long r = ty; r < rows; r += blockDim.y) {
                s += x[r * cols + c];
            }
        }
        sh[ty * bx + tx] = s;
        __syncthreads();
        for (unsigned int h = blockDim.y >> 1; h > 0u; h >>= 1) {
            if (ty < h) {
                sh[ty * bx + tx] += sh[(ty + h) * bx + tx];
            }
            __syncthreads();
        }
        if (ty == 0 && c < cols) {
            out[c] = sh[tx];
        }
        __syncthreads();
    }
}

// ================================================================ reductions to one value

extern "C" __global__ void lamina_sum_partials(const float* x, int n, int squares, float* partials) {
    __shared__ float sh[1024];
    REQUIRE_ROW_BLOCK();
    float s = 0.0f;
    GRID_STRIDE(i, n) {
        float v = x[i];
        s += squares ? v * v : v;
    }
    s = block_sum(s, sh);
    if (threadIdx.x == 0) {
        partials[blockIdx.x] = s;
    }
}

extern "C" __global__ void lamina_sum_finish(const float* x, int n, int squares, float scale, float* out,
                                             int outIndex, int accumulate) {
    __shared__ float sh[1024];
    REQUIRE_ROW_BLOCK();
    LAMINA_REQUIRE(gridDim.x == 1u && gridDim.y == 1u && gridDim.z == 1u,
                   "lamina_sum_finish: grid must be exactly (1,1,1)");
    float s = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        float v = x[i];
        s += squares ? v * v : v;
    }
    s = block_sum(s, sh);
    if (threadIdx.x == 0) {
        out[outIndex] = accumulate ? fmaf(scale, s, out[outIndex]) : scale * s;
    }
}

// ================================================================ class G: SGEMM
//
// Row-major C = alpha·op(A)·op(B) + beta·C. Each block computes BM×BN tiles of C (grid-striding over
// tiles); 256 threads, each TM×TN outputs held in registers, split in two halves of TM/2 rows and
// TN/2 columns BM/2 and BN/2 apart so that the shared-memory reads of a warp are conflict-free
// float4 (or float2) loads. The k loop walks BK-deep slices through two shared-memory buffers:
// the next slice's global loads are issued into registers before the current slice is computed, and
// stored into the other buffer afterwards, so one barrier per slice suffices.

template <int L>
struct VecLoad;

template <>
struct VecLoad<4> {
    static __device__ __forceinline__ void load(const float* p, float (&r)[4]) {
        float4 v = *reinterpret_cast<const float4*>(p);
        r[0] = v.x; r[1] = v.y; r[2] = v.z; r[3] = v.w;
    }
};

template <>
struct VecLoad<2> {
    static __device__ __forceinline__ void load(const float* p, float (&r)[2]) {
        float2 v = *reinterpret_cast<const float2*>(p);
        r[0] = v.x; r[1] = v.y;
    }
};

// Loads L consecutive floats starting at base[0]; `valid` of them exist (the rest read as 0).
template <int L>
static __device__ __forceinline__ void load_run(const float* base, int valid, bool vecOk, float (&r)[L]) {
    if (vecOk && valid >= L) {
        VecLoad<L>::load(base, r);
    } else {
#pragma unroll
        for (int e = 0; e < L; ++e) {
            r[e] = e < valid ? base[e] : 0.0f;
        }
    }
}

// One BK-deep slice of an operand, as a [BK][BMN] array in shared memory ("k-major"). The operand
// element (mn, kk) is at base[mn·ld + kk] when kContiguous, else at base[kk·ld + mn].
template <int BMN, int BK, int L>
struct SliceLoader {
    static constexpr int THREADS = 256;
    static_assert(BMN * BK == THREADS * L, "one run of L floats per thread");

    int mnOff;   // this thread's mn (kContiguous) or first mn (else), relative to the tile
    int kkOff;   // this thread's first kk (kContiguous) or kk (else)
    float r[L];

    __device__ __forceinline__ void init(int tid, bool kContiguous) {
        if (kContiguous) {
            mnOff = tid / (BK / L);
            kkOff = (tid % (BK / L)) * L;
        } else {
            kkOff = tid / (BMN / L);
            mnOff = (tid % (BMN / L)) * L;
        }
    }

    // Global → registers for the slice starting at k0 of the tile starting at mn0.
    __device__ __forceinline__ void fetch(const float* M, int ld, bool kContiguous, bool vecOk, int mn0, int mnLimit,
                                          int k0, int kLimit) {
        if (kContiguous) {
            int mn = mn0 + mnOff;
            int kk = k0 + kkOff;
            int valid = mn < mnLimit ? kLimit - kk : 0;
            if (valid > 0) {
                load_run<L>(M + (long long)mn * ld + kk, valid, vecOk, r);
            } else {
#pragma unroll
                for (int e = 0; e < L; ++e) r[e] = 0.0f;
            }
        } else {
            int kk = k0 + kkOff;
            int mn = mn0 + mnOff;
            int valid = kk < kLimit ? mnLimit - mn : 0;
            if (valid > 0) {
                load_run<L>(M + (long long)kk * ld + mn, valid, vecOk, r);
            } else {
#pragma unroll
                for (int e = 0; e < L; ++e) r[e] = 0.0f;
            }
        }
    }

    // Registers → shared slice s[BK][BMN].
    __device__ __forceinline__ void store(float (*s)[BMN], bool kContiguous) const {
        if (kContiguous) {
#pragma unroll
            for (int e = 0; e < L; ++e) s[kkOff + e][mnOff] = r[e];
        } else {
#pragma unroll
            for (int e = 0; e < L; ++e) s[kkOff][mnOff + e] = r[e];
        }
    }
};

// Computes the products over k in [kBegin, kEnd) (kBegin a multiple of BK); the plain kernels pass
// [0, k), the split-k kernel one chunk per split.
template <int BM, int BN, int BK, int TM, int TN>
static __device__ __forceinline__ void sgemm_tiles(int transA, int transB, int m, int n, int kBegin, int kEnd,
                                                   float alpha,
                                                   const float* __restrict__ A, int lda,
                                                   const float* __restrict__ B, int ldb, float beta,
                                                   float* __restrict__ C, int ldc,
                                                   float (*As)[BK][BM], float (*Bs)[BK][BN]) {
    constexpr int THREADS = (BM / TM) * (BN / TN);
    static_assert(THREADS == 256, "256 threads per block");
    constexpr int LA = BM * BK / THREADS;
    constexpr int LB = BN * BK / THREADS;
    constexpr int HM = TM / 2;
    constexpr int HN = TN / 2;

    const int tid = threadIdx.x;
    const int tx = tid % (BN / TN);
    const int ty = tid / (BN / TN);

    // op(A) is m×k: element (i, p) at A[i·lda + p] (k-contiguous) unless transA.
    const bool aKContiguous = !transA;
    const bool bKContiguous = transB != 0;  // op(B) as n×k: element (j, p) at B[j·ldb + p] when transB
    const bool vecA = (lda % LA) == 0 && (reinterpret_cast<uintptr_t>(A) % (4 * LA)) == 0;
    const bool vecB = (ldb % LB) == 0 && (reinterpret_cast<uintptr_t>(B) % (4 * LB)) == 0;
    const bool vecC = (ldc % HN) == 0 && (reinterpret_cast<uintptr_t>(C) % (4 * HN)) == 0;

    SliceLoader<BM, BK, LA> la;
    SliceLoader<BN, BK, LB> lb;
    la.init(tid, aKContiguous);
    lb.init(tid, bKContiguous);

    const int tilesM = (m + BM - 1) / BM;
    const int tilesN = (n + BN - 1) / BN;
    const int slices = kEnd > kBegin ? (kEnd - kBegin + BK - 1) / BK : 0;

    for (int tm = blockIdx.y; tm < tilesM; tm += gridDim.y) {
        for (int tn = blockIdx.x; tn < tilesN; tn += gridDim.x) {
            const int m0 = tm * BM;
            const int n0 = tn * BN;
            float acc[TM][TN];
#pragma unroll
            for (int i = 0; i < TM; ++i) {
#pragma unroll
                for (int j = 0; j < TN; ++j) acc[i][j] = 0.0f;
            }

            if (slices > 0) {
                la.fetch(A, lda, aKContiguous, vecA, m0, m, kBegin, kEnd);
                lb.fetch(B, ldb, bKContiguous, vecB, n0, n, kBegin, kEnd);
                la.store(As[0], aKContiguous);
                lb.store(Bs[0], bKContiguous);
                __syncthreads();
            }
            for (int s = 0; s < slices; ++s) {
                const int cur = s & 1;
                const bool more = s + 1 < slices;
                if (more) {
                    la.fetch(A, lda, aKContiguous, vecA, m0, m, kBegin + (s + 1) * BK, kEnd);
                    lb.fetch(B, ldb, bKContiguous, vecB, n0, n, kBegin + (s + 1) * BK, kEnd);
                }
#pragma unroll
                for (int p = 0; p < BK; ++p) {
                    float a[TM];
                    float b[TN];
#pragma unroll
                    for (int i = 0; i < HM; ++i) {
                        a[i] = As[cur][p][ty * HM + i];
                        a[HM + i] = As[cur][p][BM / 2 + ty * HM + i];
                    }
#pragma unroll
                    for (int j = 0; j < HN; ++j) {
                        b[j] = Bs[cur][p][tx * HN + j];
                        b[HN + j] = Bs[cur][p][BN / 2 + tx * HN + j];
                    }
#pragma unroll
                    for (int i = 0; i < TM; ++i) {
#pragma unroll
                        for (int j = 0; j < TN; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
                    }
                }
                if (more) {
                    la.store(As[cur ^ 1], aKContiguous);
                    lb.store(Bs[cur ^ 1], bKContiguous);
                }
                __syncthreads();
            }

            // Epilogue: C = alpha·acc + beta·C; C is not read when beta == 0.
#pragma unroll
            for (int i = 0; i < TM; ++i) {
                const int row = m0 + (i < HM ? ty * HM + i : BM / 2 + ty * HM + (i - HM));
                if (row >= m) continue;
                float* crow = C + (long long)row * ldc;
#pragma unroll
                for (int half = 0; half < 2; ++half) {
                    const int col0 = n0 + half * (BN / 2) + tx * HN;
                    const float* av = &acc[i][half * HN];
                    if (HN == 4 && vecC && col0 + HN <= n) {
                        float4* cp = reinterpret_cast<float4*>(crow + col0);
                        float4 o;
                        if (beta == 0.0f) {
                            o.x = alpha * av[0]; o.y = alpha * av[1]; o.z = alpha * av[2]; o.w = alpha * av[3];
                        } else {
                            float4 c = *cp;
                            o.x = fmaf(alpha, av[0], beta * c.x);
                            o.y = fmaf(alpha, av[1], beta * c.y);
                            o.z = fmaf(alpha, av[2], beta * c.z);
                            o.w = fmaf(alpha, av[3], beta * c.w);
                        }
                        *cp = o;
                    } else {
#pragma unroll
                        for (int j = 0; j < HN; ++j) {
                            const int col = col0 + j;
                            if (col < n) {
                                crow[col] = beta == 0.0f ? alpha * av[j] : fmaf(alpha, av[j], beta * crow[col]);
                            }
                        }
                    }
                }
            }
        }
    }
}

#define REQUIRE_GEMM_BLOCK()                                                              \
    LAMINA_REQUIRE(blockDim.x == 256u && blockDim.y == 1u && blockDim.z == 1u,             \
                   "class G kernel: block must be exactly (256,1,1)")

extern "C" __global__ void __launch_bounds__(256)
lamina_sgemm_128x128(int transA, int transB, int m, int n, int k, float alpha, const float* A, int lda,
                     const float* B, int ldb, float beta, float* C, int ldc) {
    __shared__ __align__(16) float As[2][8][128];
    __shared__ __align__(16) float Bs[2][8][128];
    REQUIRE_GEMM_BLOCK();
    sgemm_tiles<128, 128, 8, 8, 8>(transA, transB, m, n, 0, k, alpha, A, lda, B, ldb, beta, C, ldc, As, Bs);
}

extern "C" __global__ void __launch_bounds__(256)
lamina_sgemm_64x64(int transA, int transB, int m, int n, int k, float alpha, const float* A, int lda,
                   const float* B, int ldb, float beta, float* C, int ldc) {
    __shared__ __align__(16) float As[2][8][64];
    __shared__ __align__(16) float Bs[2][8][64];
    REQUIRE_GEMM_BLOCK();
    sgemm_tiles<64, 64, 8, 4, 4>(transA, transB, m, n, 0, k, alpha, A, lda, B, ldb, beta, C, ldc, As, Bs);
}

// Split-k for products with few output tiles and a long k (a batch-sized Dense layer on a GPU with
// 100+ SMs): split z of `splits` computes alpha·op(A)·op(B) over its chunk of k into
// workspace[z·m·n + i·n + j]; lamina_splitk_reduce then adds the chunks in order into C.
// Chunks are multiples of the k-slice, so vectorised loads stay aligned.
extern "C" __global__ void __launch_bounds__(256)
lamina_sgemm_64x64_splitk(int transA, int transB, int m, int n, int k, int splits, float alpha, const float* A,
                          int lda, const float* B, int ldb, float* workspace) {
    __shared__ __align__(16) float As[2][8][64];
    __shared__ __align__(16) float Bs[2][8][64];
    REQUIRE_GEMM_BLOCK();
    LAMINA_REQUIRE(splits >= 1, "lamina_sgemm_64x64_splitk: splits must be at least 1");
    const int chunk = ((k + splits - 1) / splits + 7) / 8 * 8;
    for (int z = blockIdx.z; z < splits; z += gridDim.z) {
        const int kBegin = z * chunk < k ? z * chunk : k;
        const int kEnd = kBegin + chunk < k ? kBegin + chunk : k;
        sgemm_tiles<64, 64, 8, 4, 4>(transA, transB, m, n, kBegin, kEnd, alpha, A, lda, B, ldb, 0.0f,
                                     workspace + (long long)z * m * n, n, As, Bs);
    }
}

extern "C" __global__ void lamina_splitk_reduce(const float* workspace, int splits, int m, int n, float beta,
                                                float* C, int ldc) {
    const long long mn = (long long)m * n;
    GRID_STRIDE(i, mn) {
        float sum = 0.0f;
        for (int z = 0; z < splits; ++z) {
            sum += workspace[(long long)z * mn + i];
        }
        const long long row = i / n;
        float* c = C + row * ldc + (i - row * n);
        *c = beta == 0.0f ? sum : fmaf(beta, *c, sum);
    }
}
