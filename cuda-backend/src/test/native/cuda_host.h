// The CUDA built-ins that lamina.cu uses, for compiling it with g++ into the emulated driver.
//
// Execution model (see emu_runtime.cpp): a block runs on one OS thread; each CUDA thread of the
// block is a fiber with its own stack, switched at __syncthreads. So:
//   - threadIdx/blockIdx/blockDim/gridDim are thread_local and set by the scheduler before it
//     switches to a fiber;
//   - __shared__ is `static thread_local`: one copy per OS thread, i.e. per running block, shared
//     by the block's fibers (all of which run on that OS thread);
//   - __syncthreads() returns to the block scheduler, which resumes the fibers in turn and lets them
//     all pass once every live thread of the block has arrived.
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>

struct uint3 {
    unsigned int x, y, z;
};
struct dim3 {  // trivial (no default member values), so thread_local dim3 needs no initialiser call
    unsigned int x, y, z;
};
struct alignas(8) float2 {
    float x, y;
};
struct alignas(16) float4 {
    float x, y, z, w;
};

// Not initial-exec TLS: the JVM leaves no static TLS reserve for libraries it loads with dlopen
// ("cannot allocate memory in static TLS block"). build.sh uses TLS descriptors
// (-mtls-dialect=gnu2) instead, which make these accesses cheap too.
#define LAMINA_TLS_IE
extern thread_local uint3 threadIdx LAMINA_TLS_IE;
extern thread_local uint3 blockIdx LAMINA_TLS_IE;
extern thread_local dim3 blockDim LAMINA_TLS_IE;
extern thread_local dim3 gridDim LAMINA_TLS_IE;

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __shared__ static thread_local
#define __align__(n) __attribute__((aligned(n)))
#define __launch_bounds__(...)

extern "C" void lamina_emu_syncthreads();
extern "C" void lamina_emu_kernel_error(const char* kernel, const char* what);

static inline void __syncthreads() {
    lamina_emu_syncthreads();
}

// Correctly rounded single operations that nvcc never contracts into an FMA. The empty asm makes
// the result opaque, so that g++ cannot fuse it either in the gpu-maths build (-ffp-contract=fast).
static inline float __fmul_rn(float a, float b) {
    float r = a * b;
    __asm__("" : "+x"(r));
    return r;
}
static inline float __fadd_rn(float a, float b) {
    float r = a + b;
    __asm__("" : "+x"(r));
    return r;
}
static inline float __fsub_rn(float a, float b) {
    float r = a - b;
    __asm__("" : "+x"(r));
    return r;
}

// Fast-math intrinsics, as their accurate counterparts (lamina.cu uses none of them today; they
// are here so a kernel that does still compiles for the emulator).
// (__expf and __logf need nothing: glibc itself defines functions of those names.)
static inline float __fdividef(float a, float b) { return a / b; }
static inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }

// Atomics: the blocks of a grid run concurrently on several OS threads, so these are real atomic
// read-modify-writes (sequentially consistent, stronger than CUDA's relaxed ones). Unused by
// lamina.cu, whose reductions are deterministic without atomics.
static inline float atomicAdd(float* p, float v) { return std::atomic_ref<float>(*p).fetch_add(v); }
static inline int atomicAdd(int* p, int v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
static inline unsigned int atomicAdd(unsigned int* p, unsigned int v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
static inline int atomicMax(int* p, int v) {
    int old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    while (old < v && !__atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    return old;
}
static inline int atomicMin(int* p, int v) {
    int old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    while (old > v && !__atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    return old;
}
static inline int atomicExch(int* p, int v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
static inline int atomicCAS(int* p, int expected, int desired) {
    __atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return expected;
}
static inline void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static inline void __threadfence_block() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

using std::signbit;
#ifndef INFINITY
#define INFINITY __builtin_inff()
#endif
