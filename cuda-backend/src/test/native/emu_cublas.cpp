// A stand-in for cuBLAS (libcublas.so.12): the handful of calls Lamina's CudaBackend makes through
// JCublas2, with cuBLAS' documented semantics: column-major operands, op(A) m×k and op(B) k×n,
// leading dimensions checked as cuBLAS checks them, alpha/beta read from host memory when the call
// is made, beta == 0 meaning C is not read, work queued on the handle's stream. With math mode
// CUBLAS_TF32_TENSOR_OP_MATH the inputs are rounded to TF32 (10-bit mantissa), as tensor cores do.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "emu.h"

namespace {

enum : int {
    CUBLAS_STATUS_SUCCESS = 0,
    CUBLAS_STATUS_NOT_INITIALIZED = 1,
    CUBLAS_STATUS_INVALID_VALUE = 7,
    CUBLAS_STATUS_EXECUTION_FAILED = 13,
    CUBLAS_STATUS_NOT_SUPPORTED = 15,
};

struct Handle {
    void* stream = nullptr;
    int mathMode = 0;
    int pointerMode = 0;
};

std::mutex handlesLock;
std::set<Handle*> handles;

bool valid(Handle* h) {
    std::lock_guard<std::mutex> g(handlesLock);
    return handles.count(h) != 0;
}

float toTf32(float x) {
    uint32_t u;
    std::memcpy(&u, &x, 4);
    if ((u & 0x7F800000u) != 0x7F800000u) {  // finite: round to nearest even at bit 13
        u += 0x0FFFu + ((u >> 13) & 1u);
        u &= 0xFFFFE000u;
    }
    std::memcpy(&x, &u, 4);
    return x;
}

void log(const char* what) {
    std::fprintf(stderr, "[lamina emulated cuBLAS] %s\n", what);
}

}  // namespace

extern "C" {

int cublasCreate_v2(void** handle) {
    if (!handle) return CUBLAS_STATUS_INVALID_VALUE;
    auto* h = new Handle();
    std::lock_guard<std::mutex> g(handlesLock);
    handles.insert(h);
    *handle = h;
    return CUBLAS_STATUS_SUCCESS;
}

int cublasDestroy_v2(void* handle) {
    auto* h = static_cast<Handle*>(handle);
    std::lock_guard<std::mutex> g(handlesLock);
    if (!handles.erase(h)) return CUBLAS_STATUS_NOT_INITIALIZED;
    delete h;
    return CUBLAS_STATUS_SUCCESS;
}

int cublasGetVersion_v2(void* handle, int* version) {
    if (!valid(static_cast<Handle*>(handle))) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (!version) return CUBLAS_STATUS_INVALID_VALUE;
    *version = 120001;  // reports itself as cuBLAS 12.0.1
    return CUBLAS_STATUS_SUCCESS;
}

int cublasSetStream_v2(void* handle, void* stream) {
    auto* h = static_cast<Handle*>(handle);
    if (!valid(h)) return CUBLAS_STATUS_NOT_INITIALIZED;
    h->stream = stream;
    return CUBLAS_STATUS_SUCCESS;
}

int cublasGetStream_v2(void* handle, void** stream) {
    auto* h = static_cast<Handle*>(handle);
    if (!valid(h)) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (!stream) return CUBLAS_STATUS_INVALID_VALUE;
    *stream = h->stream;
    return CUBLAS_STATUS_SUCCESS;
}

int cublasSetMathMode(void* handle, int mode) {
    auto* h = static_cast<Handle*>(handle);
    if (!valid(h)) return CUBLAS_STATUS_NOT_INITIALIZED;
    int base = mode & 0xF;
    if (base > 3) return CUBLAS_STATUS_INVALID_VALUE;
    h->mathMode = mode;
    return CUBLAS_STATUS_SUCCESS;
}

int cublasGetMathMode(void* handle, int* mode) {
    auto* h = static_cast<Handle*>(handle);
    if (!valid(h)) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (!mode) return CUBLAS_STATUS_INVALID_VALUE;
    *mode = h->mathMode;
    return CUBLAS_STATUS_SUCCESS;
}

int cublasSetPointerMode_v2(void* handle, int mode) {
    auto* h = static_cast<Handle*>(handle);
    if (!valid(h)) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (mode != 0 && mode != 1) return CUBLAS_STATUS_INVALID_VALUE;
    h->pointerMode = mode;
    return CUBLAS_STATUS_SUCCESS;
}

int cublasGetPointerMode_v2(void* handle, int* mode) {
    auto* h = static_cast<Handle*>(handle);
    if (!valid(h)) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (!mode) return CUBLAS_STATUS_INVALID_VALUE;
    *mode = h->pointerMode;
    return CUBLAS_STATUS_SUCCESS;
}

// C = alpha·op(A)·op(B) + beta·C, column-major: op(A) is m×k (A is lda×k when N, lda×m when T),
// op(B) is k×n (B is ldb×n when N, ldb×k when T), C is ldc×n.
int cublasSgemm_v2(void* handle, int transa, int transb, int m, int n, int k, const float* alphaPtr,
                   const float* A, int lda, const float* B, int ldb, const float* betaPtr, float* C, int ldc) {
    auto* h = static_cast<Handle*>(handle);
    if (!valid(h)) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (transa < 0 || transa > 2 || transb < 0 || transb > 2 || m < 0 || n < 0 || k < 0) {
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    const bool ta = transa != 0;
    const bool tb = transb != 0;
    if (lda < std::max(1, ta ? k : m) || ldb < std::max(1, tb ? n : k) || ldc < std::max(1, m)) {
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    if (!alphaPtr || !betaPtr) return CUBLAS_STATUS_INVALID_VALUE;
    if (h->pointerMode != 0) {
        log("cublasSgemm: CUBLAS_POINTER_MODE_DEVICE is not emulated");
        return CUBLAS_STATUS_NOT_SUPPORTED;
    }
    const float alpha = *alphaPtr;  // host pointers are read now, as cuBLAS does
    const float beta = *betaPtr;
    if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;
    const bool readAB = alpha != 0.0f && k > 0;
    if (!readAB && beta == 1.0f) return CUBLAS_STATUS_SUCCESS;

    // The extents cuBLAS touches must be device memory.
    auto extent = [](int ld, int rows, int cols) {
        return (static_cast<size_t>(ld) * (cols - 1) + rows) * sizeof(float);
    };
    auto dev = [](const void* p) { return static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(p)); };
    if (readAB) {
        if (lamina_emu_check_device(dev(A), extent(lda, ta ? k : m, ta ? m : k), "cublasSgemm A") != 0 ||
            lamina_emu_check_device(dev(B), extent(ldb, tb ? n : k, tb ? k : n), "cublasSgemm B") != 0) {
            return CUBLAS_STATUS_EXECUTION_FAILED;
        }
    }
    if (lamina_emu_check_device(dev(C), extent(ldc, m, n), "cublasSgemm C") != 0) {
        return CUBLAS_STATUS_EXECUTION_FAILED;
    }
    const bool tf32 = (h->mathMode & 0xF) == 3;

    std::function<void()> work = [=] {
        // locals, not captures, and restrict pointers: the build has -fno-strict-aliasing, so
        // otherwise every store would make the compiler reload m and the loops would not vectorise
        const int M = m, N = n, K = k;
        std::vector<float> accStore(static_cast<size_t>(M));
        std::vector<float> apStore;  // op(A) packed k×m: ap[p·m + i]
        if (readAB) {
            apStore.resize(static_cast<size_t>(K) * M);
            float* __restrict ap = apStore.data();
            for (int p = 0; p < K; ++p) {
                for (int i = 0; i < M; ++i) {
                    float a = ta ? A[static_cast<size_t>(i) * lda + p] : A[static_cast<size_t>(p) * lda + i];
                    ap[static_cast<size_t>(p) * M + i] = tf32 ? toTf32(a) : a;
                }
            }
        }
        float* __restrict acc = accStore.data();
        for (int j = 0; j < N; ++j) {
            float* __restrict c = C + static_cast<size_t>(j) * ldc;
            for (int i = 0; i < M; ++i) acc[i] = 0.0f;
            if (readAB) {
                for (int p = 0; p < K; ++p) {
                    float b = tb ? B[static_cast<size_t>(p) * ldb + j] : B[static_cast<size_t>(j) * ldb + p];
                    if (tf32) b = toTf32(b);
                    const float* __restrict col = apStore.data() + static_cast<size_t>(p) * M;
                    for (int i = 0; i < M; ++i) acc[i] = std::fma(col[i], b, acc[i]);  // each element in k order
                }
            }
            for (int i = 0; i < M; ++i) {
                c[i] = beta == 0.0f ? alpha * acc[i] : std::fma(alpha, acc[i], beta * c[i]);
            }
        }
    };
    int r = lamina_emu_enqueue(h->stream, &work);
    return r == 0 ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_EXECUTION_FAILED;
}

}  // extern "C"
