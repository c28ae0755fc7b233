#!/usr/bin/env bash
# Runs an example of lamina-spark on a local Spark (all cores): builds the module when needed, then
# starts java with Spark's jars and the JVM options Spark's own launcher passes on Java 17+.
#   spark/run-example.sh                       trains the digits (DigitsOnSpark) and prints the accuracy
#   spark/run-example.sh CompareWithMllib      the comparison of docs/SPARK.md
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MAIN=dev.lamina.spark.examples.${1:-DigitsOnSpark}
[[ $# -gt 0 ]] && shift
JAR=$(ls "$ROOT"/spark/target/lamina-spark-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
if [[ -z $JAR ]] || [[ ! -f $ROOT/spark/target/classpath.txt ]] \
    || [[ -n $(find "$ROOT"/pom.xml "$ROOT"/*/pom.xml "$ROOT"/{core,cpu-backend,spark}/src/main -newer "$JAR" -type f -print -quit) ]]; then
  echo "building lamina-spark ..." >&2
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl spark -am) >&2
  JAR=$(ls "$ROOT"/spark/target/lamina-spark-*.jar | grep -v -e sources -e tests | head -1)
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
OPENS=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
cd "$ROOT"
exec "$JAVA" -XX:+IgnoreUnrecognizedVMOptions --add-modules jdk.incubator.vector $OPENS \
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  -Dlog4j2.configurationFile="$ROOT/spark/example-log4j2.properties" ${LAMINA_JAVA_OPTS:-} \
  -cp "$JAR:$(cat "$ROOT/spark/target/classpath.txt")" "$MAIN" "$@"
