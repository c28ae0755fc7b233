// GPU-like maths for the emulator's "gpu-maths" build (build.sh --gpu-maths; LAMINA_EMU_GPU_MATHS):
// CUDA's expf, erfcf, tanhf, logf, ... are not glibc's. NVIDIA documents them as within 1-4 ulp of
// the exact result (CUDA C++ Programming Guide, "Mathematical Functions"), and nvcc contracts a*b+c
// into FMAs by itself (that half is g++'s -ffp-contract=fast in the same build). Here every such
// function returns glibc's result moved by 2 ulp, up or down as a hash of the argument decides, so
// the tests' tolerances are shown to hold for maths that is as far from glibc's as a GPU's may be.
// Results a GPU gives exactly stay exact: zero, infinities, NaN, f(0) (exp(0) = 1, tanh(0) = 0), and
// the range limits (|tanh|, |erf| <= 1, 0 <= erfc <= 2, exp >= 0).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace lamina_gpu_maths {

inline float nudge(float x, float r) {
    if (!std::isfinite(r) || r == 0.0f || x == 0.0f) return r;
    uint32_t h;
    std::memcpy(&h, &x, sizeof h);
    h ^= h >> 16; h *= 0x7feb352du; h ^= h >> 15; h *= 0x846ca68bu; h ^= h >> 16;  // a mixing hash
    float toward = (h & 1u) ? INFINITY : -INFINITY;
    return std::nextafter(std::nextafter(r, toward), toward);
}

inline float clampTo(float r, float lo, float hi) { return r < lo ? lo : r > hi ? hi : r; }

inline float gpu_expf(float x) { return clampTo(nudge(x, ::expf(x)), 0.0f, INFINITY); }
inline float gpu_expm1f(float x) { return clampTo(nudge(x, ::expm1f(x)), -1.0f, INFINITY); }
inline float gpu_logf(float x) { return nudge(x, ::logf(x)); }
inline float gpu_log1pf(float x) { return nudge(x, ::log1pf(x)); }
inline float gpu_tanhf(float x) { return clampTo(nudge(x, ::tanhf(x)), -1.0f, 1.0f); }
inline float gpu_erff(float x) { return clampTo(nudge(x, ::erff(x)), -1.0f, 1.0f); }
inline float gpu_erfcf(float x) { return clampTo(nudge(x, ::erfcf(x)), 0.0f, 2.0f); }

}  // namespace lamina_gpu_maths

#define expf lamina_gpu_maths::gpu_expf
#define expm1f lamina_gpu_maths::gpu_expm1f
#define logf lamina_gpu_maths::gpu_logf
#define log1pf lamina_gpu_maths::gpu_log1pf
#define tanhf lamina_gpu_maths::gpu_tanhf
#define erff lamina_gpu_maths::gpu_erff
#define erfcf lamina_gpu_maths::gpu_erfcf
