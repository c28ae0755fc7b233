#!/usr/bin/env bash
# CI check for the shipped PTX (called from .ci/run). Where nvcc is present:
#   1. regenerates the PTX from lamina.cu into a temporary directory and requires it to equal the
#      committed src/main/resources/dev/lamina/cuda/lamina.ptx (so nobody forgets to commit it);
#   2. assembles the committed PTX with ptxas for sm_75, sm_80 and sm_90 (so it is valid PTX ISA 8.0
#      for every GPU generation we support) and prints the GEMM kernels' register and shared-memory use.
# Without nvcc it says so and exits 0: the PtxCompilesTest unit test still compiles the PTX with
# CUDA 12.0's PTX compiler inside JCuda.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
committed="$here/../resources/dev/lamina/cuda/lamina.ptx"
# $NVCC if set (set it to a missing path to build as a machine without nvcc), else nvcc on the PATH,
# else the toolkit's default location.
if [ -z "${NVCC:-}" ]; then
    NVCC=nvcc
    command -v nvcc >/dev/null 2>&1 || { [ -x /usr/local/cuda/bin/nvcc ] && NVCC=/usr/local/cuda/bin/nvcc; }
fi
if ! command -v "$NVCC" >/dev/null 2>&1; then
    echo "check-ptx: nvcc not found; skipping the regeneration and ptxas checks (PtxCompilesTest still runs)"
    exit 0
fi
PTXAS="$(dirname "$(command -v "$NVCC")")/ptxas"
[ -x "$PTXAS" ] || PTXAS=ptxas
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

NVCC="$NVCC" "$here/build-ptx.sh" "$tmp/lamina.ptx" >/dev/null
if ! diff -u "$committed" "$tmp/lamina.ptx" > "$tmp/diff"; then
    echo "check-ptx: FAILED: the committed PTX differs from what lamina.cu compiles to."
    echo "           Run cuda-backend/src/main/cuda/build-ptx.sh and commit src/main/resources/dev/lamina/cuda/lamina.ptx."
    head -40 "$tmp/diff"
    exit 1
fi
echo "check-ptx: committed PTX equals the PTX regenerated from lamina.cu ($("$NVCC" --version | tail -1))"

grep -q '^\.version 8\.0$' "$committed" || { echo "check-ptx: FAILED: the PTX must declare .version 8.0"; exit 1; }
for arch in sm_75 sm_80 sm_90; do
    if ! "$PTXAS" -arch="$arch" -v "$committed" -o "$tmp/lamina_$arch.cubin" > "$tmp/ptxas_$arch.log" 2>&1; then
        echo "check-ptx: FAILED: ptxas -arch=$arch rejected the PTX:"
        cat "$tmp/ptxas_$arch.log"
        exit 1
    fi
    spills=$(grep -c '[1-9][0-9]* bytes spill' "$tmp/ptxas_$arch.log" || true)
    echo "check-ptx: ptxas -arch=$arch OK ($spills kernels with spills)"
    awk -v arch="$arch" '/Compiling entry function/ { name=$0; sub(/.*function .?/, "", name); sub(/.? for.*/, "", name) }
         /Used [0-9]+ registers/ && name ~ /sgemm/ { sub(/.*info *: */, ""); printf "check-ptx:   %s %s: %s\n", arch, name, $0 }' \
        "$tmp/ptxas_$arch.log"
done
