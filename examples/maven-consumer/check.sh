#!/usr/bin/env bash
# Builds this example as a user's project would use Lamina: installs this repository's lamina-bom,
# lamina-core and lamina-cpu into a private local repository (never ~/.m2, which is only read, as a
# tail, so that nothing is downloaded twice), then tests the example and runs it with exec:java.
#   bash examples/maven-consumer/check.sh            # from anywhere
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -n "${LAMINA_EXAMPLE_REPO:-}" ]; then
  repo=$LAMINA_EXAMPLE_REPO
else
  repo=$(mktemp -d)
  trap 'rm -rf "$repo"' EXIT
fi
m2=(-B -q -Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="$HOME/.m2/repository")

"$root/mvnw" "${m2[@]}" -f "$root/pom.xml" -DskipTests install -pl bom,core,cpu-backend -am
cd "$here"
"$root/mvnw" "${m2[@]}" verify                    # compiles against the BOM's versions; the test trains
out=$("$root/mvnw" "${m2[@]}" exec:java -Dexec.args="../../data/concrete.csv 5")
echo "$out"
# exec:java runs in Maven's JVM, which .mvn/jvm.config starts with the Vector API
grep -q "^backend: cpu" <<<"$out" || { echo "check.sh: the CPU backend did not run" >&2; exit 1; }
if grep -q "portable Java" <<<"$out"; then echo "check.sh: exec:java ran without the Vector API" >&2; exit 1; fi
echo "check.sh: OK"
