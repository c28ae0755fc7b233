// Internals shared by the emulated driver (libcuda.so.1) and the emulated cuBLAS (libcublas.so.12).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cuda_host.h"

namespace lamina_emu {

// A kernel of lamina.cu as the emulator sees it: its name, the size of each parameter (to check
// against the PTX), and a binder that copies the launch's kernelParams into a callable run once
// per CUDA thread.
struct KernelInfo {
    const char* name;
    std::vector<size_t> paramSizes;
    std::function<std::function<void()>(void** params)> bind;
};

template <typename... Args, size_t... I>
std::function<void()> bindArgs(void (*f)(Args...), void** params, std::index_sequence<I...>) {
    std::tuple<std::decay_t<Args>...> values{*static_cast<std::decay_t<Args>*>(params[I])...};
    return [f, values]() { std::apply(f, values); };
}

template <typename... Args>
KernelInfo kernelInfo(const char* name, void (*f)(Args...)) {
    return KernelInfo{name, {sizeof(std::decay_t<Args>)...}, [f](void** params) {
                          return bindArgs(f, params, std::index_sequence_for<Args...>{});
                      }};
}

// All kernels compiled from lamina.cu (emu_kernels.cpp).
const std::vector<KernelInfo>& kernels();

// Runs a grid: every block on some CPU thread, every CUDA thread of a block as a fiber (or, for a
// kernel whose PTX has no barrier, as a plain call). Returns an empty string on success, else the
// error a kernel reported.
std::string runGrid(const std::function<void()>& thread, dim3 grid, dim3 block, bool barriers);

}  // namespace lamina_emu

// Exported by libcuda.so.1 for the cuBLAS stand-in: queue work on a stream (CUstream, may be null),
// in order with the stream's other work. Returns a CUresult.
extern "C" int lamina_emu_enqueue(void* stream, std::function<void()>* work);

// Exported by libcuda.so.1: CUDA_SUCCESS when [p, p + bytes) lies in one device allocation.
extern "C" int lamina_emu_check_device(unsigned long long p, size_t bytes, const char* what);
