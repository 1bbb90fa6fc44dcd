#!/usr/bin/env bash
# The libFuzzer targets of tests/fuzz, built with clang (ASan + UBSan, and
# llvm-cov's instrumentation) in build-fuzz/, run on their corpora. Any
# crash, hang, leak, sanitizer report or JSON that does not parse fails the
# run; the input that did it is copied into tests/fuzz/regressions/.
#
# Each target's corpus is tests/fuzz/corpus/NAME.tar.zst (the inputs that
# together reach all the coverage found so far: a few hundred small
# captures, 4 to 10 MB, which compress thirtyfold), and
# tests/fuzz/regressions/ holds the inputs that once failed, run by every
# target.
#
#   fuzz.sh                    as CI runs it (scripts/test.sh): the targets for
#                              ETRACE_FUZZ_SECONDS in all (default 60, a third
#                              to the reader, whose inputs run far faster), what
#                              they find thrown away; then the source lines the
#                              corpora reach in decode/, format/ and catalog/
#   fuzz.sh --grow SECONDS     fuzz each target that long, then merge what it
#                              found into its corpus (-merge=1 keeps only inputs
#                              that add coverage)
#   fuzz.sh --seed CAPTURE...  rebuild the corpora from captures of real
#                              programs (etrace-capture -o ls.etrace -- ls) and
#                              from every capture the decoder's unit tests build
#
# Environment: ETRACE_JOBS (build jobs, default: the number of CPUs).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${ETRACE_JOBS:-$(nproc)}
out="$root/build-fuzz"
regressions="$root/tests/fuzz/regressions"
targets=(fuzz_capture_reader fuzz_decode_pipeline)
# Inputs past this are cut: the seeds are a few KB to a few tens of KB.
max_len=65536

build() {
  cmake -B "$out" -S "$root" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DETRACE_WERROR=ON \
    -DETRACE_BUILD_TESTS=OFF -DETRACE_FUZZ=ON -DETRACE_FUZZ_COVERAGE=ON >/dev/null
  cmake --build "$out" -j "$jobs" --target "${targets[@]}" fuzz_make_seeds >/dev/null
}

archive_of() { echo "$root/tests/fuzz/corpus/${1#fuzz_}.tar.zst"; }
corpus_of() { echo "$out/corpus/${1#fuzz_}"; }

# Unpacks TARGET's corpus into build-fuzz/corpus/NAME.
unpack() {
  local dir
  dir=$(corpus_of "$1")
  rm -rf "$dir" && mkdir -p "$dir"
  zstd -dcq "$(archive_of "$1")" | tar -x -C "$dir"
}

# Packs build-fuzz/corpus/NAME back, the same bytes for the same inputs.
pack() {
  local dir
  dir=$(corpus_of "$1")
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c -C "$dir" . | zstd -19 -q -f -o "$(archive_of "$1")"
  echo "fuzz.sh: $1: $(ls "$dir" | wc -l) inputs, $(du -sk --apparent-size "$dir" | cut -f1) KB," \
    "$(($(stat -c %s "$(archive_of "$1")") / 1024)) KB packed" >&2
}

# fuzz TARGET SECONDS NEW_DIR: fuzzes on the target's corpus and the
# regressions, new inputs into NEW_DIR; prints the executions and coverage.
fuzz() {
  local target=$1 seconds=$2 new=$3
  local log="$out/$target.log" artifacts="$out/artifacts/$target/"
  rm -rf "$artifacts" && mkdir -p "$new" "$artifacts"
  # -timeout: an input that takes 10 s is a hang.
  if ! LLVM_PROFILE_FILE=/dev/null "$out/bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=$max_len -print_final_stats=1 -artifact_prefix="$artifacts" "$new" "$(corpus_of "$target")" \
    "$regressions" >"$log" 2>&1; then
    grep -E "ERROR|SUMMARY|Test unit written|runtime error" "$log" >&2 || tail -40 "$log" >&2
    # The input that failed becomes a regression: the decoder's unit tests
    # replay every file there (FuzzRegressions), so commit it with the fix.
    local kept=()
    for f in "$artifacts"*; do
      [[ -f $f ]] && cp "$f" "$regressions/$target-$(basename "$f")" && kept+=("$target-$(basename "$f")")
    done
    echo "fuzz.sh: $target failed; its log is $log; the input is kept in tests/fuzz/regressions/ as ${kept[*]:-(none)}" >&2
    return 1
  fi
  local runs cov
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  echo "fuzz.sh: $target: $runs executions in $seconds s; $cov (libFuzzer's edges and features)" >&2
}

# Line coverage of decode/, format/ and catalog/ when every input of the
# corpora runs once.
coverage() {
  local objects=() t
  rm -f "$out"/*.profraw
  for t in "${targets[@]}"; do
    LLVM_PROFILE_FILE="$out/$t.profraw" "$out/bin/$t" -runs=0 -max_len=$max_len "$(corpus_of "$t")" "$regressions" \
      >/dev/null 2>&1
    objects+=(-object "$out/bin/$t")
  done
  llvm-profdata merge -sparse "$out"/*.profraw -o "$out/corpus.profdata"
  llvm-cov export -summary-only -instr-profile="$out/corpus.profdata" "${objects[@]}" | python3 -c '
import json, sys
root = sys.argv[1] + "/"
totals = {}
for f in json.load(sys.stdin)["data"][0]["files"]:
    top = f["filename"][len(root):].split("/")[0] if f["filename"].startswith(root) else ""
    if top in ("decode", "format", "catalog"):
        t = totals.setdefault(top, [0, 0])
        t[0] += f["summary"]["lines"]["covered"]
        t[1] += f["summary"]["lines"]["count"]
for top, (covered, count) in sorted(totals.items()):
    print(f"fuzz.sh: the corpora reach {covered} of the {count} lines of {top}/ ({100 * covered / count:.1f}%)",
          file=sys.stderr)
' "$root"
}

case ${1:-} in
  "")
    started=$SECONDS
    build
    total=${ETRACE_FUZZ_SECONDS:-60}
    for t in "${targets[@]}"; do
      unpack "$t"
      new=$(mktemp -d)
      seconds=$((total - total / 3))
      [[ $t == fuzz_capture_reader ]] && seconds=$((total / 3))
      fuzz "$t" "$seconds" "$new" || { rm -rf "$new"; exit 1; }
      rm -rf "$new"
    done
    coverage
    echo "fuzz.sh: passed in $((SECONDS - started)) s" >&2
    ;;
  --grow)
    build
    for t in "${targets[@]}"; do
      unpack "$t"
      new="$out/new/$t"
      rm -rf "$new"
      fuzz "$t" "${2:?--grow SECONDS}" "$new"
      LLVM_PROFILE_FILE=/dev/null "$out/bin/$t" -merge=1 -max_len=$max_len "$(corpus_of "$t")" "$new" >/dev/null 2>&1
      pack "$t"
    done
    ;;
  --seed)
    shift
    build
    # The unit tests' captures: the decoder's test binaries, run with
    # ETRACE_FUZZ_SEEDS, keep every capture they build.
    cmake -B "$root/build" -S "$root" -DETRACE_WERROR=ON >/dev/null
    cmake --build "$root/build" -j "$jobs" --target etrace_decode_tests etrace_btf_tests >/dev/null
    pool=$(mktemp -d)
    mkdir "$pool/builder" "$pool/seeds" "$pool/real"
    (($#)) && cp "$@" "$pool/real/"
    for tests in etrace_decode_tests etrace_btf_tests; do
      # The full-disk tests build captures of 20,000 calls: too big to seed with.
      ETRACE_FUZZ_SEEDS="$pool/builder" "$root/build/bin/$tests" --gtest_filter=-OutputFile.* >/dev/null 2>&1 || true
    done
    LLVM_PROFILE_FILE=/dev/null "$out/bin/fuzz_make_seeds" "$pool/seeds" "$@" "$pool"/builder/*
    for t in "${targets[@]}"; do
      dir=$(corpus_of "$t")
      rm -rf "$dir" && mkdir -p "$dir"
      # The captures as they are (compressed) too, for the paths that inflate.
      LLVM_PROFILE_FILE=/dev/null "$out/bin/$t" -merge=1 -max_len=$max_len "$dir" "$pool/seeds" "$pool/builder" \
        "$pool/real" >/dev/null 2>&1
      pack "$t"
    done
    rm -rf "$pool"
    ;;
  *)
    echo "fuzz.sh: unknown option $1; see the head of this script." >&2
    exit 2
    ;;
esac
