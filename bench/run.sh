#!/usr/bin/env bash
# Runs the side-by-side benchmark (natsvx against nats-server); see bench/README.md.
# Builds what is missing first: the bench CLI jar, and the natsvx server jar unless another
# natsvx command is given. The CLI itself builds the Go load client. All arguments go to the CLI
# (bench/run.sh --help).
#
# Maven runs offline and quietly by default (BENCH_MVN_OPTS="-o -q") and, where flock exists,
# under /tmp/mvn.lock so it never overlaps another build on the same machine.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$bench_dir")"
jar="$bench_dir/target/natsvx-bench.jar"
server_jar="$repo/server/target/server-fat.jar"
read -r -a mvn_opts <<< "${BENCH_MVN_OPTS:--o -q}"

mvn_locked() {
  if command -v flock > /dev/null; then
    flock /tmp/mvn.lock mvn "${mvn_opts[@]}" "$@"
  else
    mvn "${mvn_opts[@]}" "$@"
  fi
}

# The CLI jar: rebuilt when any of its sources is newer than the jar.
if [[ ! -f "$jar" || -n "$(find "$bench_dir/src" "$bench_dir/pom.xml" -newer "$jar" -print -quit)" ]]; then
  echo "building $jar"
  mvn_locked -f "$bench_dir/pom.xml" -DskipTests package
fi

# The server jar: built once when missing; rebuild it yourself after changing the server.
if [[ ! -f "$server_jar" && " $* " != *" --natsvx-cmd "* && " $* " != *" --only nats-server "* ]]; then
  echo "building $server_jar"
  mvn_locked -f "$repo/pom.xml" -pl server -am -DskipTests package
fi

exec java -jar "$jar" "$@"
