#!/usr/bin/env bash
# Builds the emulated GPU for the tests: target/emulator/cuda/libcuda.so.1 (driver stand-in with
# lamina.cu's kernels compiled for the CPU) and target/emulator/cublas/libcublas.so.12 (cuBLAS
# stand-in). Usage: build.sh [--gpu-maths] <output dir> [<lamina.ptx>]. --gpu-maths builds the
# variant with a GPU's arithmetic: a*b+c contracted into FMAs (-ffp-contract=fast, as nvcc does) and
# expf/logf/tanhf/erff/... 2 ulp from glibc's (gpu_maths.h). With the PTX, the native self-test
# (emu_selftest.cpp: SGEMM kernels and cuBLAS stand-in against a double loop) runs after a build. Skips, with a message and a marker file, where it cannot
# build (not Linux x86-64, or no g++); the tests then skip with that reason.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
gpu_maths=0
if [ "${1:-}" = --gpu-maths ]; then gpu_maths=1; shift; fi
out="${1:?usage: build.sh [--gpu-maths] <output dir> [<lamina.ptx>]}"
mkdir -p "$out"
rm -f "$out/UNAVAILABLE"

unavailable() {
    echo "[lamina emulator] not built: $1" >&2
    rm -f "$out/cuda/libcuda.so.1" "$out/cublas/libcublas.so.12"  # never test against stale stand-ins
    echo "$1" > "$out/UNAVAILABLE"
    exit 0
}

[ "$(uname -s)" = Linux ] || unavailable "the emulated GPU is built on Linux only (this is $(uname -s))"
[ "$(uname -m)" = x86_64 ] || unavailable "the emulated GPU is built on x86-64 only (this is $(uname -m))"
CXX="${CXX:-g++}"
command -v "$CXX" >/dev/null 2>&1 || unavailable "no C++ compiler ($CXX) on the PATH"
"$CXX" -std=c++20 -x c++ -fsyntax-only - <<<'#include <concepts>
int main() {}' >/dev/null 2>&1 || unavailable "$CXX does not support -std=c++20"

cu="$here/../../main/cuda/lamina.cu"
srcs=("$cu" "$here"/*.cpp "$here"/*.h "$here"/*.map "$here/build.sh")
driver="$out/cuda/libcuda.so.1"
cublas="$out/cublas/libcublas.so.12"

newest_src=0
for f in "${srcs[@]}"; do
    t=$(stat -c %Y "$f"); [ "$t" -gt "$newest_src" ] && newest_src=$t
done
if [ -f "$driver" ] && [ -f "$cublas" ] && [ "$(stat -c %Y "$driver")" -ge "$newest_src" ] \
        && [ "$(stat -c %Y "$cublas")" -ge "$newest_src" ]; then
    echo "[lamina emulator] up to date in $out"
    exit 0
fi
ptx="${2:-}"

flags=(-std=c++20 -O2 -g0 -fPIC -pthread -fno-strict-aliasing -mtls-dialect=gnu2
       -Wall -Wno-unused-function -Wno-unknown-pragmas -I"$here")
if [ "$gpu_maths" = 1 ]; then
    flags+=(-ffp-contract=fast -DLAMINA_EMU_GPU_MATHS)
else
    flags+=(-ffp-contract=off)
fi
# Explicit fmaf in the kernels becomes one instruction where the CPU has FMA (same results, faster).
grep -qw fma /proc/cpuinfo 2>/dev/null && flags+=(-mfma)

mkdir -p "$out/cuda" "$out/cublas" "$out/obj"
echo "[lamina emulator] building into $out$([ "$gpu_maths" = 1 ] && echo " (GPU maths: FMA contraction, transcendentals 2 ulp off)")"
pids=()
for f in emu_kernels emu_runtime emu_driver; do
    "$CXX" "${flags[@]}" -c "$here/$f.cpp" -o "$out/obj/$f.o" & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
"$CXX" -shared -pthread -o "$driver.tmp" "$out/obj/emu_kernels.o" "$out/obj/emu_runtime.o" "$out/obj/emu_driver.o" \
    -Wl,-soname,libcuda.so.1 -Wl,--version-script="$here/libcuda.map" -Wl,-z,noexecstack
mv -f "$driver.tmp" "$driver"
"$CXX" "${flags[@]}" -O3 -shared -o "$cublas.tmp" "$here/emu_cublas.cpp" \
    -Wl,-soname,libcublas.so.12 -Wl,--version-script="$here/libcublas.map" \
    "$driver" -Wl,-rpath,'$ORIGIN/../cuda' -Wl,-z,noexecstack
mv -f "$cublas.tmp" "$cublas"
echo "[lamina emulator] built $driver and $cublas"
if [ -n "$ptx" ]; then
    "$CXX" -std=c++20 -O1 -o "$out/obj/emu_selftest" "$here/emu_selftest.cpp" "$driver" "$cublas" \
        -Wl,-rpath,"$out/cuda:$out/cublas"
    if ! "$out/obj/emu_selftest" "$ptx"; then
        rm -f "$driver" "$cublas"  # so the next build runs the self-test again
        echo "[lamina emulator] self-test FAILED (see above)" >&2
        exit 1
    fi
fi
