#!/usr/bin/env bash
# The kernel matrix's checks of one kernel (scripts/test-kernels.sh).
#
#   guest.sh --pid1            inside a VM: tests/kernels/init.sh switch_roots
#                              into this as PID 1; it runs the checks into the
#                              results share, /run/etrace-out, and powers off
#   guest.sh --checks OUTDIR   the checks alone, as root; the host's own row
#                              of the matrix is made this way, without a VM
#
# The checks write raw outputs and one key=value file, OUTDIR/results.env;
# the host reads them after the VM is gone (parsing lives there, in one
# place). Every step has its own time limit, so one that hangs under TCG
# leaves the others their time and the VM powers off before the host's hard
# timeout kills it.
#
# Environment (from OUTDIR/guest.env in a VM, from the host script on the
# host): ETRACE_BUILD, the etrace build directory; ETRACE_STEP_TIMEOUT and
# ETRACE_LIVE_TIMEOUT, seconds per step and for the live subset.
set -euo pipefail

# The live tests the matrix runs: one test per feature a kernel can break,
# so a kernel's row says which of them works there. The full suite runs on
# the host through scripts/test.sh.
#   whole system, no target         LiveTest.NoTargetTracesTheWholeSystemButItself
#   -p PID                          LiveTest.AttachByPidTracesThatProcessOnly
#   -c NAME                         LiveTest.CommFilterTracesOnlyTheNamedProcesses
#   --cgroup                        ContextTest.CgroupFilterTracesOnlyTasksInside
#   loss (64K ring, getpid storm)   LiveTest.LossesAreMarkedWhereTheyHappened
#   library calls (uprobes)         LibCallTest.TracedInRunACommandMode
#   run-a-command, every call       LiveTest.RunCommandRecordsEveryCallOfTheScript
#   structs from the kernel's BTF   LiveTest.CaptureWithoutBtfDecodesStructsOnTheSameKernel
live_filter=LiveTest.NoTargetTracesTheWholeSystemButItself
live_filter+=:LiveTest.AttachByPidTracesThatProcessOnly
live_filter+=:LiveTest.CommFilterTracesOnlyTheNamedProcesses
live_filter+=:ContextTest.CgroupFilterTracesOnlyTasksInside
live_filter+=:LiveTest.LossesAreMarkedWhereTheyHappened
live_filter+=:LibCallTest.TracedInRunACommandMode
live_filter+=:LiveTest.RunCommandRecordsEveryCallOfTheScript
live_filter+=:LiveTest.CaptureWithoutBtfDecodesStructsOnTheSameKernel

# What the capture step traces: deterministic in what it asks the kernel
# (paths, structs, directory entries), the README's own example.
capture_command=(/bin/ls -l /etc)

self=$(readlink -f "${BASH_SOURCE[0]}")

say() { echo "etrace-guest: $*"; }

# record KEY VALUE: one line of results.env. Values never hold newlines.
record() {
  printf '%s=%s\n' "$1" "${2//$'\n'/ }" >>"$results"
}

now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# step NAME LIMIT CMD...: runs CMD with stdout and stderr in NAME.txt, killed
# after LIMIT seconds; records NAME_rc (124: timed out) and NAME_s.
step() {
  local name=$1 limit=$2 t0 rc=0
  shift 2
  say "$name: $* (limit ${limit} s)"
  t0=$(now)
  timeout --kill-after=10 "$limit" "$@" >"$out/$name.txt" 2>&1 </dev/null || rc=$?
  record "${name}_rc" "$rc"
  record "${name}_s" "$(seconds_since "$t0")"
  say "$name: exit $rc after $(seconds_since "$t0") s"
  return 0
}

# fs_type DIR: the file system type mounted at DIR, or "none".
fs_type() {
  awk -v d="$1" '$2 == d { t = $3 } END { print (t == "" ? "none" : t) }' /proc/self/mounts
}

record_facts() {
  record kernel_release "$(uname -r)"
  record kernel_version "$(uname -v)"
  record cpus "$(nproc)"
  record uptime_at_start_s "$(cut -d' ' -f1 /proc/uptime)"
  record btf "$([[ -r /sys/kernel/btf/vmlinux ]] && echo yes || echo no)"
  local dir
  for dir in /sys/fs/bpf /sys/kernel/tracing /sys/fs/cgroup /sys/kernel/debug; do
    record "mount_${dir//\//_}" "$(fs_type "$dir")"
  done
}

# What the kernel offers BPF, by bpftool's own probe (kept whole as
# features.txt; the host picks a few lines for the table).
probe_bpf() {
  step bpftool_prog_list "$step_limit" bpftool --json prog list
  step features "$step_limit" bpftool feature probe kernel
}

# The programs etrace has loaded, as the kernel lists them while a capture
# runs: the command traced is bpftool itself, started once tracing is
# attached. (This bpftool shows no verified instruction counts; --check does.)
list_loaded_programs() {
  step programs "$step_limit" "$build/bin/etrace-capture" -q -o "$out/programs.etrace" -- \
    /bin/sh -c "exec bpftool --json prog show >'$out/programs.json'"
}

# etrace-capture --check loads every program as a capture would; it is new,
# so a build without it is noted, not failed.
check_programs() {
  local help
  help=$("$build/bin/etrace-capture" --help 2>&1 || true)
  if [[ $help == *--check* ]]; then
    step check "$step_limit" "$build/bin/etrace-capture" --check
  else
    record check_rc absent
    say "check: this etrace-capture has no --check"
  fi
}

# A run-a-command capture, kept, and decoded here to text and JSON; the host
# decodes the same file again and compares (decode anywhere).
capture_and_decode() {
  local file=$out/capture.etrace
  rm -f "$file"
  # -v: when loading fails, libbpf's messages name the program and its
  # verifier's last words, which the table shows.
  step capture "$step_limit" "$build/bin/etrace-capture" -v -o "$file" -- "${capture_command[@]}"
  [[ -s $file ]] || { say "capture: no capture file"; return 0; }
  local t0 rc=0
  t0=$(now)
  "$build/bin/etrace-decode" "$file" >"$out/decode.txt" 2>"$out/decode.err" || rc=$?
  record decode_text_rc "$rc"
  rc=0
  "$build/bin/etrace-decode" --json "$file" >"$out/decode.json" 2>>"$out/decode.err" || rc=$?
  record decode_json_rc "$rc"
  record decode_s "$(seconds_since "$t0")"
}

# Library calls: their uprobe programs load only with --lib, so a capture
# of its own shows, with -v, why they fail to load where they do.
capture_library_calls() {
  step libcalls "$step_limit" "$build/bin/etrace-capture" -v -o "$out/libcalls.etrace" \
    --lib libc.so.6:strlen -- /bin/true
}

live_subset() {
  local tests=$build/bin/etrace_live_tests
  [[ -x $tests ]] || { record live_rc missing; say "live: $tests is not built"; return 0; }
  rm -f "$out/live.json"
  # In /tmp: the tests' scratch files stay in the VM (an overlay on tmpfs).
  (
    cd /tmp
    export ETRACE_REQUIRE_BPF=1
    step live "$live_limit" "$tests" \
      --gtest_filter="$live_filter" --gtest_output="json:$out/live.json" --gtest_color=no
  )
}

checks() {
  out=$1
  results=$out/results.env
  build=${ETRACE_BUILD:?ETRACE_BUILD names the etrace build directory}
  step_limit=${ETRACE_STEP_TIMEOUT:?ETRACE_STEP_TIMEOUT is the seconds each step may take}
  live_limit=${ETRACE_LIVE_TIMEOUT:?ETRACE_LIVE_TIMEOUT is the seconds the live subset may take}
  [[ $(id -u) -eq 0 ]] || { echo "guest.sh: the checks load BPF programs and must run as root." >&2; exit 1; }
  mkdir -p "$out"
  : >"$results"
  local t0
  t0=$(now)
  record_facts
  probe_bpf
  check_programs
  list_loaded_programs
  capture_and_decode
  capture_library_calls
  live_subset
  record checks_s "$(seconds_since "$t0")"
  record checks_done yes
}

# PID 1 of the VM. It must not exit (the kernel would panic), so it runs the
# checks as a child and always ends in poweroff.
pid1() {
  set +e
  export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb
  local out=/run/etrace-out
  say "booted $(uname -r), uptime $(cut -d' ' -f1 /proc/uptime) s"
  bash "$self" --checks "$out"
  say "checks exited with $?"
  sync
  /bin/busybox poweroff -f
  # busybox missing: the kernel's own power-off.
  echo o >/proc/sysrq-trigger
  sleep 60
}

case ${1:-} in
  --pid1) pid1 ;;
  --checks)
    [[ $# -eq 2 ]] || { echo "usage: guest.sh --checks OUTDIR" >&2; exit 2; }
    checks "$2"
    ;;
  *)
    echo "usage: guest.sh --pid1 | --checks OUTDIR" >&2
    exit 2
    ;;
esac
