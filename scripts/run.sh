#!/usr/bin/env bash
# etrace in one command: installs what the build needs, builds etrace-capture
# and etrace-decode, traces `ls -l /etc`, and shows the capture decoded as
# strace-like text and as a per-syscall summary. Run it as root.
#
# Environment: ETRACE_DEMO_DIR, where the capture is kept (default: a new
# temporary directory); ETRACE_JOBS, build parallelism (default: CPUs).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ $(id -u) -ne 0 ]]; then
  echo "run.sh: must run as root: etrace-capture loads BPF programs into the kernel." >&2
  echo "run.sh: try: sudo $0" >&2
  exit 1
fi

"$root/scripts/install-deps.sh"

build=$root/build
echo "run.sh: building etrace-capture and etrace-decode in $build (a few minutes the first time)" >&2
cmake -B "$build" -S "$root" >/dev/null
cmake --build "$build" -j "${ETRACE_JOBS:-$(nproc)}" --target etrace-capture etrace-decode >/dev/null

demo=${ETRACE_DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/etrace-demo.XXXXXX")}
mkdir -p "$demo"
capture=$demo/ls-etc.etrace

echo >&2
echo "== etrace-capture -o $capture -- /bin/ls -l /etc" >&2
# ls prints to a file: what matters here is what it asked the kernel.
"$build/bin/etrace-capture" -o "$capture" -- /bin/ls -l /etc >"$demo/ls-etc.out"

echo
echo "== etrace-decode $capture"
"$build/bin/etrace-decode" "$capture"

echo
echo "== etrace-decode --stats $capture"
"$build/bin/etrace-decode" --stats "$capture"

echo
echo "run.sh: the capture is $capture (ls's own output: $demo/ls-etc.out)."
echo "run.sh: try also: $build/bin/etrace-decode --json $capture"
