#!/usr/bin/env bash
# gpu-check: proves the CUDA backend on this machine in one run (at most about 5 minutes on a GPU) and
# writes gpu-check.md and gpu-check.json into OUT_DIR. See docs/cuda-testing.md ("gpu-check").
#
#   cuda-backend/gpu-check.sh OUT_DIR [--expect gpu|emulated|none] [--phases env,sync,...]
#
# --expect gpu (the default) fails the run unless CUDA is usable, the device is a real GPU and enough
# CUDA tests executed; --expect emulated runs against the emulated driver built by the tests (CI);
# --expect none only reports.
# Where it runs from:
#   a clone with a JDK: builds cuda-backend and the modules it needs with the Maven wrapper, then runs;
#   the .gpu/ bundle (tools/gpu/bundle) on a machine without Java: runs with the bundle's runtime
#     (chosen when .gpu/run exists and there is no java on PATH, or LAMINA_GPU_BUNDLE=1).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

usage() { echo "usage: cuda-backend/gpu-check.sh OUT_DIR [--expect gpu|emulated|none] [--phases env,sync,...]" >&2; exit 2; }
[[ $# -ge 1 && $1 != -* ]] || usage
mkdir -p "$1" || { echo "gpu-check: cannot create $1" >&2; exit 2; }
out=$(cd "$1" && pwd)
shift
expect=gpu
phases=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --expect) [[ $# -ge 2 ]] || usage; expect=$2; shift 2 ;;
    --phases) [[ $# -ge 2 ]] || usage; phases=(--phases "$2"); shift 2 ;;
    *) usage ;;
  esac
done
case $expect in gpu|emulated|none) ;; *) usage ;; esac

commit=$(git rev-parse --short=12 HEAD 2>/dev/null || true)
# The driver caches the JIT-compiled PTX here, so the phases after the first do not compile it again
# (the default cache, ~/.nv, may not be writable in a container).
export CUDA_CACHE_PATH=${CUDA_CACHE_PATH:-${TMPDIR:-/tmp}/lamina-cuda-cache}
mkdir -p "$CUDA_CACHE_PATH"
main=dev.lamina.cuda.gpucheck.GpuCheck
props=(-Dlamina.cuda.expect="$expect")

if [[ -x .gpu/run || -f .gpu/run ]] && { [[ ${LAMINA_GPU_BUNDLE:-} == 1 ]] || ! command -v java >/dev/null; }; then
  # the bundle: its run script unpacks the runtime, finds CUDA's libraries and runs the main
  [[ -z $commit && -f .gpu/info ]] && commit=$(sed -n 's/^COMMIT=//p' .gpu/info)
  echo "gpu-check: from the .gpu/ bundle (commit ${commit:-unknown}), results in $out"
  GPU_JAVA_OPTS="-Xss4m ${GPU_JAVA_OPTS:-} ${props[*]} -Dlamina.gpucheck.commit=${commit:-unknown}" OUT="$out/bundle-run" \
    bash .gpu/run none -- "$main" "$out" "${phases[@]}"
  exit $?
fi

command -v java >/dev/null || { echo "gpu-check: no java on PATH and no .gpu/ bundle here (tools/gpu/bundle makes one)" >&2; exit 2; }
echo "gpu-check: from the clone (commit ${commit:-unknown}), results in $out"
mvn_args=(-B -q -pl cuda-backend -am)
if [[ $expect == emulated ]]; then
  # test-compile builds the emulated driver (profile emulated-gpu) into cuda-backend/target/emulator
  mvn_args+=(test-compile)
else
  mvn_args+=(-Dlamina.gpu test-compile)
fi
./mvnw "${mvn_args[@]}" dependency:build-classpath -Dmdep.outputFile=target/gpu-check-classpath.txt -Dmdep.includeScope=test \
  || { echo "gpu-check: the build failed (output above)" >&2; exit 2; }
cp="cuda-backend/target/test-classes:cuda-backend/target/classes:$(cat cuda-backend/target/gpu-check-classpath.txt)"

jvm=(--add-modules jdk.incubator.vector -Xss4m)
if [[ $expect == emulated ]]; then
  emu=$root/cuda-backend/target/emulator
  [[ -f $emu/cuda/libcuda.so.1 ]] || { echo "gpu-check: the emulated driver was not built: $(cat "$emu/UNAVAILABLE" 2>/dev/null)" >&2; exit 2; }
  export LD_LIBRARY_PATH=$emu/cuda:$emu/cublas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  props+=(-Dlamina.emulator.dir="$emu")
fi
exec java "${jvm[@]}" "${props[@]}" -Dlamina.gpucheck.commit="${commit:-unknown}" -cp "$cp" "$main" "$out" "${phases[@]}"
