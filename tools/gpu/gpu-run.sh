#!/usr/bin/env bash
# .gpu/run, copied into .gpu/ by tools/gpu/bundle. It runs ON THE GPU MACHINE and needs no Java or Maven:
#   bash .gpu/run [SELECTOR...] [-- MAIN_CLASS [ARG...]]
# SELECTOR: a module (cuda-backend), a class (com.x.FooTest), a method (com.x.FooTest#bar), a package (com.x),
#   'all' (every module's tests), 'none' (no tests), or a console-launcher option written as one word (--include-tag=gpu).
#   No selector: the tests of the modules whose name contains "cuda" (all modules if none does).
# After '--': a main class and its arguments, run once after the tests (a benchmark, say); output also in $OUT/bench.log.
# Environment: OUT (results; default .gpu/out), GPU_JAVA_OPTS (extra JVM options, e.g. "-Xmx16g"),
#   GPU_RUN_BUDGET (seconds for the whole run, default 540: keep it under the GPU machine's time limit).
set -uo pipefail
G=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${OUT:-$G/out}
mkdir -p "$OUT" || { echo "run: cannot create OUT=$OUT" >&2; exit 2; }
# shellcheck source=/dev/null
. "$G/info" || { echo "run: $G/info is missing: run tools/gpu/bundle again" >&2; exit 2; }

main() {
  local end=$((SECONDS + ${GPU_RUN_BUDGET:-540})) trc=0 brc=0 s m d
  echo "== $(date -u +%FT%TZ) $(hostname) $(uname -m), glibc $(getconf GNU_LIBC_VERSION 2>/dev/null | cut -d' ' -f2)"
  echo "== bundle of $BUILT (commit ${COMMIT:-unknown}): JDK $JDK_VERSION, JUnit platform $JUNIT_PLATFORM"
  if command -v nvidia-smi >/dev/null; then nvidia-smi || true
  else echo "== nvidia-smi not found: no NVIDIA driver here, so GPU tests should skip"; fi

  # a private temp dir: the runtime is unpacked there, and JCuda extracts its native libraries there
  T=$(mktemp -d "${TMPDIR:-/tmp}/gpu-run.XXXXXX") || { echo "run: mktemp failed"; return 2; }
  trap 'rm -rf "$T"' EXIT
  tar -C "$T" -xJf "$G/jre.tar.xz" 2>/dev/null ||
    python3 -c 'import sys, tarfile; t = tarfile.open(sys.argv[1]); t.extractall(sys.argv[2], **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}))' \
      "$G/jre.tar.xz" "$T" || { echo "run: cannot unpack $G/jre.tar.xz (no xz, no python3?)"; return 2; }
  local J=$T/jre/bin/java
  # the driver caches JIT-compiled PTX here: every JVM of the run after the first finds it compiled
  export CUDA_CACHE_PATH=${CUDA_CACHE_PATH:-$T/cuda-cache}
  if ! "$J" -version >/dev/null 2>&1; then
    echo "run: the bundled Java does not start here (it needs glibc >= ${GLIBC_MIN#GLIBC_}):"; "$J" -version
    ldd "$J" "$T/jre/lib/server/libjvm.so" | grep 'not found'; return 2
  fi

  # CUDA's user-space libraries (cuBLAS, NVRTC, ...): the system toolkit, then Python's nvidia-* wheels
  local libdirs=() sp found=''
  sp=$(python3 -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null || true)
  for d in /usr/local/cuda/lib64 $(for s in $sp; do echo "$s"/nvidia/*/lib; done); do
    [[ -d $d ]] && compgen -G "$d/lib*.so*" >/dev/null && libdirs+=("$d")
  done
  if ((${#libdirs[@]})); then
    LD_LIBRARY_PATH=$(IFS=:; echo "${libdirs[*]}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}; export LD_LIBRARY_PATH
    found=$(for d in "${libdirs[@]}"; do ls "$d"; done | grep -oE '^lib(cublas|cublasLt|cudart|nvrtc|cufft|curand|cusparse|cusolver)\.so\.[0-9]+$' | sort -u | tr '\n' ' ')
  fi
  echo "== CUDA libraries on LD_LIBRARY_PATH: ${found:-none}"
  m=$(grep -oE 'jcublas-natives-[0-9]+' "$G/classpath" | head -n1 | grep -oE '[0-9]+$')
  [[ -n $m && $found != *"libcublas.so.$m "* ]] &&
    echo "== warning: jcublas-natives $m.x needs libcublas.so.$m, which is not here: JCublas calls will fail (UnsatisfiedLinkError)"

  local jopts=(--add-modules jdk.incubator.vector "-Djava.io.tmpdir=$T" "-XX:ErrorFile=$OUT/hs_err_%p.log") extra=()
  read -ra extra <<<"${GPU_JAVA_OPTS:-}"; jopts+=("${extra[@]}")
  local cp; cp=$(sed "s#^#$G/#" "$G/classpath" | paste -sd: -)

  # selectors -> console launcher arguments
  local sel=() bench=() scan=() args=() notests=''
  while (($#)); do [[ $1 == -- ]] && { shift; bench=("$@"); break; }; sel+=("$1"); shift; done
  for s in "${sel[@]}"; do
    if [[ $s == -* ]]; then args+=("$s")
    elif [[ $s == none ]]; then notests=1
    elif [[ $s == all ]]; then while read -r m; do scan+=("$m"); done <"$G/modules"
    elif [[ -d $G/mod/$s/test-classes ]]; then scan+=("$s")
    elif [[ $s == *#* ]]; then args+=("--select-method=$s")
    elif [[ ${s##*.} == [A-Z]* ]]; then args+=("--select-class=$s")
    else args+=("--select-package=$s"); fi
  done
  if ! printf '%s\n' "${args[@]}" | grep -q -- '^--select' && ((${#scan[@]} == 0)); then   # default selection
    while read -r m; do [[ $m == *cuda* ]] && scan+=("$m"); done <"$G/modules"
    ((${#scan[@]})) || while read -r m; do scan+=("$m"); done <"$G/modules"
  fi
  local explicit=''; printf '%s\n' "${args[@]}" | grep -q -- '^--select' && explicit=1
  for m in "${scan[@]}"; do   # JUnit can't mix classpath scanning with explicit selectors: then select the classes
    [[ -d $G/mod/$m/test-classes ]] || continue
    if [[ -z $explicit ]]; then args+=("--scan-classpath=$G/mod/$m/test-classes")
    else while read -r c; do args+=("--select-class=$c"); done < <(cd "$G/mod/$m/test-classes" &&
           find . -name '*.class' ! -name '*$*' | sed 's#^\./##; s#\.class$##; s#/#.#g' | sort); fi
  done

  if [[ -z $notests ]]; then
    local t=$((end - SECONDS - (${#bench[@]} ? 120 : 10)))
    echo "== tests (budget ${t}s): ${sel[*]:-default: ${scan[*]}}"
    # shellcheck disable=SC2086  # SUBCMD is empty or one word
    timeout -s QUIT -k 30 "$t" "$J" "${jopts[@]}" -cp "$G/$LAUNCHER:$cp" org.junit.platform.console.ConsoleLauncher $SUBCMD \
      --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests --reports-dir="$OUT/junit" "${args[@]}"
    trc=$?
    ((trc == 124 || trc == 137)) && echo "== tests ran out of their ${t}s budget (a thread dump is above)"
    for f in "$OUT"/junit/*.xml; do [[ -f $f ]] && head -c 1000 "$f" | grep -q '<testsuite [^>]*tests="0"' && rm -f "$f"; done
    # A GPU run whose tests skipped themselves looks green but tested nothing: say so loudly.
    if nvidia-smi -L >/dev/null 2>&1; then
      skipped=$(cat "$OUT"/junit/*.xml 2>/dev/null | grep -o '<testsuite [^>]*skipped="[0-9]*"' | sed 's/.*skipped="\([0-9]*\)"/\1/' | awk '{s+=$1} END{print s+0}')
      if ((skipped > 0)); then echo "== WARNING: $skipped tests skipped or aborted on a machine WITH a GPU: read their reasons above before trusting this run"; fi
    fi
  fi
  if ((${#bench[@]})); then
    local b=$((end - SECONDS - 5))
    echo "== main (budget ${b}s): ${bench[*]}"
    timeout -s QUIT -k 30 "$b" "$J" "${jopts[@]}" -cp "$cp" "${bench[@]}" 2>&1 | tee "$OUT/bench.log"
    brc=${PIPESTATUS[0]}
    ((brc == 124 || brc == 137)) && echo "== the main ran out of its ${b}s budget (a thread dump is above)"
  fi
  echo "== done: tests exit $trc${notests:+ (not run)} (0 = passed, 1 = failures, 2 = no tests found), main exit $brc; files in OUT:" \
       "$(cd "$OUT" && find . -type f ! -name run.log | sed 's#^\./##' | sort | tr '\n' ' ')run.log"
  ((trc == 0 && brc == 0))
}

main "$@" 2>&1 | tee "$OUT/run.log"
exit "${PIPESTATUS[0]}"
