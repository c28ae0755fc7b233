#!/usr/bin/env bash
# CI smoke run of every benchmark: one fork, no warm-up, one 100 ms iteration, the smallest sizes,
# and Compare in its tiny --smoke mode, so that the benchmarks cannot rot. The figures mean nothing;
# any benchmark that throws fails the script (JMH -foe true). Needs benchmarks/target/benchmarks.jar
# (./mvnw -B verify or package builds it). Run from anywhere; about a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar
[[ -f $JAR ]] || { echo "smoke: $JAR is missing: build with ./mvnw -B package -pl benchmarks -am first" >&2; exit 2; }
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT

# the usable backends (cpu, and cuda where a GPU is found); the others' reasons go to stderr
BACKENDS=$("$JAVA" -cp "$JAR" dev.lamina.bench.BackendsFound)
echo "smoke: backends measured: $BACKENDS"
IMPLS=lamina-vector,lamina-scalar,ejml,ejml-mt,ojalgo
[[ ,$BACKENDS, == *,cuda,* ]] && IMPLS=$IMPLS,cuda

# ignoreLock: JMH's lock keeps two measurements apart; a smoke run's figures mean nothing, so it must not
# fail because someone on the machine is measuring
jmh() { "$JAVA" -Djmh.ignoreLock=true -jar "$JAR" -f 1 -wi 0 -i 1 -r 100ms -foe true -rf json -rff "$OUT/$1.json" "$@"; }
jmh GemmBenchmark -p impl=$IMPLS -p shape=128x128x128,32x48x40:TN
# every op once, at the smallest size
jmh OpsBenchmark -p backend="$BACKENDS" -p size=1000
# both methods (step and epoch) of every model, with the allocation profiler CI runs nowhere else
jmh TrainStepBenchmark -p backend="$BACKENDS" -prof gc
"$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" dev.lamina.bench.Compare --smoke --out "$OUT"
echo "smoke: every benchmark ran"
