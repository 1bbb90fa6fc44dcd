#!/usr/bin/env bash
# Builds etrace and runs every test, twice: a plain build (build/) and an
# AddressSanitizer + UndefinedBehaviorSanitizer build (build-asan/), both
# with warnings as errors; then the libFuzzer targets, each for a bounded
# time (scripts/fuzz.sh). Exits non-zero on any failure.
#
# As root, or in CI ($CI set), the live BPF tests must run: ETRACE_REQUIRE_BPF=1
# turns their "cannot trace here" skip into a failure.
#
# Environment: ETRACE_JOBS (default: the number of CPUs),
# ETRACE_SKIP_ASAN=1 to run the plain configuration only, ETRACE_SKIP_FUZZ=1
# to leave out the fuzzers, ETRACE_FUZZ_SECONDS (default 60) for the fuzz targets.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${ETRACE_JOBS:-$(nproc)}

"$root/scripts/install-deps.sh"

if [[ -n ${CI:-} || $(id -u) -eq 0 ]]; then
  export ETRACE_REQUIRE_BPF=1
  echo "test.sh: ETRACE_REQUIRE_BPF=1: live tests fail rather than skip when BPF is unusable" >&2
fi

# Sanitizer reports are failures, with a stack to read.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# build_and_test DIR [CMAKE ARGS...]
build_and_test() {
  local dir=$1
  shift
  local started=$SECONDS
  echo "test.sh: === $dir: configure, build, test ===" >&2
  cmake -B "$root/$dir" -S "$root" -DETRACE_WERROR=ON -DETRACE_BUILD_TESTS=ON "$@"
  cmake --build "$root/$dir" -j "$jobs"
  # Unit tests run in parallel; the live tests are RUN_SERIAL.
  (cd "$root/$dir" && ctest --output-on-failure --no-tests=error -j "$jobs")
  echo "test.sh: === $dir: passed in $((SECONDS - started)) s ===" >&2
}

build_and_test build
if [[ ${ETRACE_SKIP_ASAN:-0} != 1 ]]; then
  # Debug (-O0 -g): compiles faster than -O2, and sanitizer reports read better.
  build_and_test build-asan -DETRACE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
fi
if [[ ${ETRACE_SKIP_FUZZ:-0} != 1 ]]; then
  # The fuzz targets, for ETRACE_FUZZ_SECONDS (60) in all, on their committed corpora.
  "$root/scripts/fuzz.sh"
fi
echo "test.sh: all tests passed" >&2
