#!/usr/bin/env bash
# Compiles lamina.cu to the PTX shipped in the jar. Usage: build-ptx.sh [--if-nvcc] [<output .ptx>]
# (default output: the committed resource). With --if-nvcc (as the Maven build calls it), a machine
# without nvcc keeps the committed PTX and the script exits 0. nvcc 13 writes PTX ISA 9.0, which only CUDA 13 drivers JIT;
# the kernels use nothing newer than ISA 8.0, so the header is set to 8.0 and the result loads on
# CUDA 12.0+ drivers. check-ptx.sh proves that with ptxas; PtxCompilesTest with CUDA 12.0's own
# PTX compiler (jcuda.nvptxcompiler).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
optional=false
if [ "${1:-}" = --if-nvcc ]; then optional=true; shift; fi
out="${1:-$here/../resources/dev/lamina/cuda/lamina.ptx}"
# $NVCC if set (set it to a missing path to build as a machine without nvcc), else nvcc on the PATH,
# else the toolkit's default location.
if [ -z "${NVCC:-}" ]; then
    NVCC=nvcc
    command -v nvcc >/dev/null 2>&1 || { [ -x /usr/local/cuda/bin/nvcc ] && NVCC=/usr/local/cuda/bin/nvcc; }
fi
if ! command -v "$NVCC" >/dev/null 2>&1; then
    if $optional; then
        echo "[lamina ptx] nvcc not found: using the committed PTX (src/main/resources/dev/lamina/cuda/lamina.ptx)"
        exit 0
    fi
    echo "build-ptx.sh: nvcc not found" >&2
    exit 2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Default numerics (-prec-div, -prec-sqrt, -ftz=false, no fast math): the kernels must agree with the
# Java reference, so no approximate division, square root or flushing of denormals.
"$NVCC" -ptx -arch=compute_75 -Xcudafe --diag_suppress=177 -o "$tmp/lamina.ptx" "$here/lamina.cu"
grep -q '^\.version 9\.0$\|^\.version 8\.[0-9]$' "$tmp/lamina.ptx" || { echo "unexpected PTX version" >&2; exit 1; }
sed -e 's/^\.version .*$/.version 8.0/' "$tmp/lamina.ptx" > "$tmp/out.ptx"
mkdir -p "$(dirname "$out")"
mv -f "$tmp/out.ptx" "$out"
echo "build-ptx.sh: wrote $out ($(grep -c '^\.visible \.entry' "$out") kernels, PTX ISA 8.0, $("$NVCC" --version | tail -1))"
