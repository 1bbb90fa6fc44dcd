#!/usr/bin/env bash
# Measures what tracing costs, etrace side by side with its peers, and prints
# one table per workload. It reports figures; it never passes or fails on a
# time. Run it as root (every tracer here needs it).
#
#   scripts/bench.sh            # about 10 minutes on 2 cores
#
# Workloads (bench/*.c, bench/README.md): a getppid storm, write+read of 64
# bytes on a pipe, openat+close of a real file, and `tar -cf /dev/null
# /usr/include`. Tools: native (no tracer), etrace-capture, strace -f, perf
# trace, perf record + perf script, trace-cmd record + report, a bpftrace
# program that only counts sys_enter/sys_exit of the workload, a bare
# tp_btf hook (bench/bare_hook*.c: programs on sys_enter and sys_exit that
# return at once, the floor of any tracer built on these hooks), and sysdig (shown as unavailable, with the reason, when it
# cannot load its driver).
#
# Each measurement is repeated (ETRACE_BENCH_RUNS, default 3); the tables
# show medians, except "seen" (fewest over the runs) and "lost" (most). The
# workload runs on CPU 0 and the tracer on CPU 1 (taskset); decoders run on
# CPU 1 alone. Results are printed and written to $build/bench/results.txt.
#
# How each figure is measured:
#   ns/call     the workload's own clock around its loop, divided by the calls
#               it made (tar: its whole life, timed by bench/timing_shim.so,
#               divided by its syscall count).
#   added       ns/call traced minus ns/call native; slowdown is their ratio.
#   seen/made   syscalls of the workload's process found in the tool's output
#               (entries: etrace-decode --stats calls, strace lines, perf trace
#               lines, perf script / trace-cmd report sys_enter lines, the
#               bpftrace count) against the syscalls the workload made
#               (strace -f -c of the same command line). A tool that starts
#               tracing at exec misses the first execve's entry; one that
#               traces its own forked child before exec sees a few more.
#   lost        what the tool itself says it dropped, in its own unit (records:
#               an entry or an exit each): etrace's trailer, perf's
#               PERF_RECORD_LOST counts, perf trace's LOST lines, trace-cmd's
#               overrun + commit overrun + dropped events. strace cannot lose.
#   B/call      bytes of the tool's output file per syscall seen.
#   tracer CPU  CPU seconds of everything the tracer command ran (it runs in
#               a cgroup of its own; cgroup v2 cpu.stat usage_usec, which also
#               counts helpers such as trace-cmd's per-CPU recorders, reaped
#               or not), minus the workload's own (it reports getrusage
#               RUSAGE_SELF itself). GNU time is not used: it misses children
#               a tracer does not wait for (perf trace's workload). Start-up
#               is included (BPF load, bpftrace's compile). Work a BPF program
#               does in the workload's syscalls is charged to the workload: it
#               shows in ns/call, not here.
#   wall        the whole tracer command, start-up and shut-down included.
#   decode/s    syscalls seen divided by the wall time of etrace-decode --json,
#               perf script or trace-cmd report, each writing to /dev/null.
#
# strace and perf trace run N/ETRACE_BENCH_SLOW_DIV (default 10) calls of each
# micro workload: at tens of microseconds a call, full runs would take most of
# the time budget, and per-call figures do not depend on N.
#
# Environment:
#   ETRACE_BUILD_DIR        etrace build to use or make (default: build/)
#   ETRACE_BENCH_RUNS       repetitions (default 3)
#   ETRACE_BENCH_GETPPID    getppid calls per run (default 2000000)
#   ETRACE_BENCH_RW         write+read pairs per run (default 500000)
#   ETRACE_BENCH_OPEN       openat+close pairs per run (default 250000)
#   ETRACE_BENCH_SLOW_DIV   divisor of N for strace and perf trace (default 10)
#   ETRACE_BENCH_WORKLOADS  which to run, of: getppid rw open tar (default all)
#   ETRACE_BENCH_TOOLS      which tools, of: native bare-hook etrace strace
#                           perf-trace perf-record trace-cmd bpftrace sysdig
#                           (default all)
#   ETRACE_BENCH_KEEP=1     keep the captures (in a temporary directory)
#
# The machine is shared: before each run the harness waits (up to a minute)
# for other tracers (etrace-capture, strace, perf, trace-cmd, bpftrace,
# sysdig) to finish, since their hooks slow every process, and notes under a
# table the runs that went ahead with one running. A run that fails is left
# out of the medians, counted under its row, and its stderr is kept in
# $build/bench/failed/.
#
# The issue's loss check (a 10 s storm at full rate) is the getppid workload
# made longer, e.g.:
#   ETRACE_BENCH_WORKLOADS=getppid ETRACE_BENCH_TOOLS="native etrace" \
#   ETRACE_BENCH_GETPPID=12000000 ETRACE_BENCH_RUNS=1 scripts/bench.sh
set -euo pipefail

# Internal: trace-cmd record fails here with "Operation not permitted" on
# set_ftrace_filter, so it runs in a private mount namespace where empty files
# cover the set_ftrace_* files it insists on writing.
if [[ ${1:-} == __tracefs-ns ]]; then
  shift
  empty=$(mktemp)
  for f in set_ftrace_pid set_ftrace_filter set_ftrace_notrace set_ftrace_notrace_pid; do
    if [[ -e /sys/kernel/tracing/$f ]]; then
      mount --bind "$empty" "/sys/kernel/tracing/$f"
    fi
  done
  exec "$@"
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
self=$root/scripts/bench.sh
build=${ETRACE_BUILD_DIR:-$root/build}
out_dir=$build/bench
runs=${ETRACE_BENCH_RUNS:-3}
slow_div=${ETRACE_BENCH_SLOW_DIV:-10}
workloads=(${ETRACE_BENCH_WORKLOADS:-getppid rw open tar})
tools=(${ETRACE_BENCH_TOOLS:-native bare-hook etrace strace perf-trace perf-record trace-cmd bpftrace sysdig})
declare -A n_of=(
  [getppid]=${ETRACE_BENCH_GETPPID:-2000000}
  [rw]=${ETRACE_BENCH_RW:-500000}
  [open]=${ETRACE_BENCH_OPEN:-250000}
  [tar]=1
)
declare -A title_of=(
  [getppid]="getppid storm: syscall(SYS_getppid) in a loop"
  [rw]="write + read of 64 bytes on a pipe"
  [open]="openat + close of a real file"
  [tar]="tar -cf /dev/null /usr/include"
)

say() { echo "bench: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  say "must run as root: every tracer measured here needs it"
  exit 1
fi

# --- tools --------------------------------------------------------------------

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

install_tools() {
  local missing=() p
  for p in trace-cmd bpftrace linux-perf strace sysdig; do
    installed "$p" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  local needed=()
  for p in "${missing[@]}"; do
    if [[ $p != sysdig ]]; then needed+=("$p"); fi
  done
  if ((${#needed[@]} > 0)); then
    apt-get install -y -qq "${needed[@]}" >/dev/null
  fi
  # sysdig (with the DKMS source of its driver) may not install on this
  # kernel; its row then says so, and the rest goes on.
  if ! installed sysdig; then
    apt-get install -y -qq sysdig >/dev/null || say "sysdig did not install"
  fi
}

build_etrace() {
  "$root/scripts/install-deps.sh"
  if [[ ! -f $build/CMakeCache.txt ]]; then
    say "configuring etrace in $build"
    cmake -B "$build" -S "$root" >/dev/null
  fi
  say "building etrace-capture and etrace-decode in $build"
  cmake --build "$build" -j "$(nproc)" --target etrace-capture etrace-decode >/dev/null
  capture_bin=$build/bin/etrace-capture
  decode_bin=$build/bin/etrace-decode
}

build_workloads() {
  bin=$out_dir/bin
  mkdir -p "$bin"
  local w
  # Static: no dynamic loader, so the only syscalls are the loop's and a few
  # around it.
  for w in getppid_storm pipe_rw open_close; do
    cc -O2 -Wall -Wextra -static -o "$bin/$w" "$root/bench/$w.c"
  done
  cc -O2 -Wall -Wextra -shared -fPIC -o "$bin/timing_shim.so" "$root/bench/timing_shim.c"
  cc -O2 -Wall -Wextra -o "$bin/bare_hook" "$root/bench/bare_hook.c" -lbpf
  clang -O2 -g -target bpf -I"/usr/include/$(gcc -print-multiarch)" -c "$root/bench/bare_hook.bpf.c" \
    -o "$bin/bare_hook.bpf.o"
}

# Sets cgroup_parent to a new cgroup v2 directory for the runs, or to "" when
# there is no cgroup v2 hierarchy to use (tracer CPU is then not measured).
prepare_cgroup() {
  cgroup_parent=""
  local mnt
  mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
  if [[ -n $mnt ]] && mkdir "$mnt/etrace-bench.$$" 2>/dev/null; then
    cgroup_parent=$mnt/etrace-bench.$$
  else
    say "no cgroup v2 hierarchy to use: tracer CPU will not be measured"
  fi
}

# run_in_cgroup CG CMD...: runs CMD in cgroup CG (none when CG is "").
run_in_cgroup() {
  local cg=$1
  shift
  (
    if [[ -n $cg ]]; then echo "$BASHPID" >"$cg/cgroup.procs"; fi
    exec "$@"
  )
}

# cgroup_done CG: prints CG's CPU seconds and removes it, once its last
# process (a tracer's helper may outlive the tracer briefly) is gone.
cgroup_done() {
  local cg=$1 i
  [[ -z $cg ]] && { echo "-"; return; }
  for ((i = 0; i < 50; i++)); do
    [[ -z $(cat "$cg/cgroup.procs") ]] && break
    sleep 0.1
  done
  awk '$1 == "usage_usec" { printf "%.6f", $2 / 1e6 }' "$cg/cpu.stat"
  rmdir "$cg" 2>/dev/null || say "processes still in $cg: $(tr '\n' ' ' <"$cg/cgroup.procs")"
}

# Prints the names of tracers running now (between runs: none of them ours).
other_tracers() {
  ps -e -o comm= | awk '/^(etrace-capture|strace|perf|trace-cmd|bpftrace|sysdig)$/' | sort -u | paste -sd ' '
}

# Waits up to a minute for tracers that are not ours to finish; prints their
# names when some are still running.
wait_for_quiet() {
  local i others=""
  for ((i = 0; i < 30; i++)); do
    others=$(other_tracers)
    [[ -z $others ]] && return
    ((i == 0)) && say "waiting for other tracers to finish: $others"
    sleep 2
  done
  echo "$others"
}

prepare_tracefs() {
  if ! mountpoint -q /sys/kernel/tracing; then
    mount -t tracefs nodev /sys/kernel/tracing
  fi
}

# Sets sysdig_reason to why sysdig cannot capture here, or to "" when it can.
# Only the kernel module is tried: sysdig's eBPF probe (-B) would try to
# download a prebuilt probe.
check_sysdig() {
  sysdig_reason=""
  if ! command -v sysdig >/dev/null; then
    sysdig_reason="sysdig is not installed"
    return
  fi
  local err
  if ! err=$(timeout 20 sysdig -n 1 2>&1 >/dev/null); then
    sysdig_reason="'$(echo "$err" | head -1)'"
    if [[ ! -d /lib/modules/$(uname -r)/build ]]; then
      sysdig_reason+=": no headers for kernel $(uname -r) to build the scap module from DKMS"
    fi
  fi
}

# --- workloads ----------------------------------------------------------------

# wl_cmd WORKLOAD N REPORT: sets WL to the workload's command line.
wl_cmd() {
  local w=$1 n=$2 report=$3
  case $w in
    getppid) WL=("$bin/getppid_storm" "$n" "$report") ;;
    rw) WL=("$bin/pipe_rw" "$n" "$report") ;;
    open) WL=("$bin/open_close" "$n" "$open_file" "$report") ;;
    tar) WL=("$(command -v env)" "LD_PRELOAD=$bin/timing_shim.so" "ETRACE_BENCH_REPORT=$report"
      "$(command -v tar)" -cf /dev/null /usr/include) ;;
  esac
}

# report_field REPORT KEY: a value from a workload's report line.
report_field() {
  tr ' ' '\n' <"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'
}

# Fills base_of[W]: the syscalls a workload makes besides its loop's calls,
# from strace -f -c of a short run of the same command line (tar: the
# whole run, so base is its total).
count_made() {
  local w=$1 n=100 dir=$work/made-$w
  mkdir -p "$dir"
  [[ $w == tar ]] && n=1
  wl_cmd "$w" "$n" "$dir/report"
  strace -f -c -o "$dir/counts" taskset -c 0 "${WL[@]}" >/dev/null 2>"$dir/stderr"
  local total calls
  total=$(awk '$NF == "total" { print $4 }' "$dir/counts")
  calls=$(report_field "$dir/report" calls)
  base_of[$w]=$((total - calls))
}

# --- counting in each tool's output -------------------------------------------

count_strace() { awk '/^[0-9]+ +[a-z_0-9]+\(/ { n++ } END { print n + 0 }' "$1"; }

count_perf_trace() { # prints "seen lost"
  awk '/LOST [0-9]+ events!/ { for (i = 1; i <= NF; i++) if ($i == "LOST") lost += $(i + 1); next }
       /\): [^ ]+\/[0-9]+ / && !/\[continued\]/ { n++ }
       END { print n + 0, lost + 0 }' "$1"
}

count_perf_record() { # prints "seen lost"
  perf script --show-lost-events -i "$1" 2>/dev/null |
    awk '/ raw_syscalls:sys_enter:/ { n++; next }
         /PERF_RECORD_LOST lost / { lost += $NF }
         END { print n + 0, lost + 0 }'
}

count_trace_cmd() { # prints "seen lost"
  local seen lost
  seen=$(trace-cmd report -i "$1" 2>/dev/null | awk '/ sys_enter: / { n++ } END { print n + 0 }')
  lost=$(trace-cmd report --stat -i "$1" 2>/dev/null |
    awk -F: '$1 == "overrun" || $1 == "commit overrun" || $1 == "dropped events" { s += $2 } END { print s + 0 }')
  echo "$seen $lost"
}

count_etrace() { # prints "seen lost"
  "$decode_bin" --stats "$1" 2>/dev/null |
    awk '$NF == "total" { n = $4 } /^capture: / { lost = $6 } END { print n + 0, lost + 0 }'
}

# --- one measurement ----------------------------------------------------------

now_us() { echo "${EPOCHREALTIME/./}"; }

# decode_rate SEEN CMD...: runs CMD on CPU 1 into /dev/null; prints syscalls/s.
decode_rate() {
  local seen=$1
  shift
  local t0 t1
  t0=$(now_us)
  taskset -c 1 "$@" >/dev/null 2>&1 || { echo "-"; return; }
  t1=$(now_us)
  awk -v s="$seen" -v us=$((t1 - t0)) 'BEGIN { printf "%.0f", (us > 0) ? s * 1e6 / us : 0 }'
}

# Runs the workload under one tool and appends a row to $rows:
#   workload tool run ok ns_per_call made seen lost bytes_per_call tracer_cpu wall decode_rate
#   others (tracers not ours that were running, or "-"), or, for a failed run:
#   workload tool run failed reason
run_one() {
  local w=$1 tool=$2 run=$3
  local dir=$work/$w.$tool.$run
  mkdir -p "$dir"
  local n=${n_of[$w]}
  if [[ $w != tar && ($tool == strace || $tool == perf-trace) ]]; then
    n=$((n / slow_div))
  fi
  wl_cmd "$w" "$n" "$dir/report"
  local out=$dir/out wl_pinned=(taskset -c 0 "${WL[@]}")
  local timed=(taskset -c 1)
  local cmd includes_workload=1
  case $tool in
    native) cmd=("${wl_pinned[@]}") ;;
    bare-hook) cmd=("${timed[@]}" "$bin/bare_hook" "$bin/bare_hook.bpf.o" "${wl_pinned[@]}") ;;
    etrace) cmd=("${timed[@]}" "$capture_bin" -q -o "$out" -- "${wl_pinned[@]}") ;;
    strace) cmd=("${timed[@]}" strace -f -o "$out" "${wl_pinned[@]}") ;;
    perf-trace) cmd=("${timed[@]}" perf trace -o "$out" -- "${wl_pinned[@]}") ;;
    perf-record) cmd=("${timed[@]}" perf record -q -e 'raw_syscalls:*' -o "$out" -- "${wl_pinned[@]}") ;;
    trace-cmd)
      cmd=("${timed[@]}" unshare -m -- "$self" __tracefs-ns
        trace-cmd record -q -d -F -c -e raw_syscalls -o "$out" -- "${wl_pinned[@]}")
      ;;
    bpftrace)
      # cpid is the pid bpftrace forks for -c; taskset and env exec in it.
      cmd=("${timed[@]}" bpftrace -o "$out" -e "tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @enter = count(); }
        tracepoint:raw_syscalls:sys_exit /pid == cpid/ { @exit = count(); }" -c "$(command -v taskset) -c 0 ${WL[*]}")
      ;;
    sysdig) includes_workload=0 ;;
  esac

  local others cg="" usage="-"
  others=$(wait_for_quiet)
  if [[ -n $cgroup_parent && $tool != native ]]; then
    cg=$cgroup_parent/$w.$tool.$run
    mkdir "$cg"
  fi
  local t0 t1 status=ok
  t0=$(now_us)
  if [[ $tool == sysdig ]]; then
    run_sysdig "$dir" "$out" "$cg" || status="failed"
  elif ! run_in_cgroup "$cg" "${cmd[@]}" >"$dir/stdout" 2>"$dir/stderr"; then
    status="failed"
  fi
  t1=$(now_us)
  [[ -n $cg ]] && usage=$(cgroup_done "$cg")
  # One that started during the run and is still there is seen here too.
  others=$(printf '%s %s' "$others" "$(other_tracers)" | tr ' ' '\n' | sed '/^$/d' | sort -u | paste -sd ' ')
  if [[ ! -s $dir/report ]]; then
    status="failed"
  fi
  if [[ $status != ok ]]; then
    local why kept=$out_dir/failed/$w.$tool.$run.stderr
    why=$(grep -v '^$' "$dir/stderr" 2>/dev/null | tail -1 | sed 's/^ *//' | cut -c1-80)
    mkdir -p "$out_dir/failed"
    cp "$dir/stderr" "$kept" 2>/dev/null || true
    say "$tool on $w (run $run) failed: ${why:-no report}; its stderr is in $kept"
    printf '%s\t%s\t%s\tfailed\t%s\n' "$w" "$tool" "$run" "${why:-no report}" >>"$rows"
    [[ ${ETRACE_BENCH_KEEP:-0} == 1 ]] || rm -rf "$dir"
    return
  fi

  local calls loop_ns cpu_us made ns_per_call
  calls=$(report_field "$dir/report" calls)
  loop_ns=$(report_field "$dir/report" loop_ns)
  cpu_us=$(report_field "$dir/report" cpu_us)
  made=$((base_of[$w] + calls))
  if [[ $w == tar ]]; then
    ns_per_call=$(awk -v t="$loop_ns" -v m="$made" 'BEGIN { printf "%.1f", t / m }')
  else
    ns_per_call=$(report_field "$dir/report" ns_per_call)
  fi

  local seen="-" lost="-" bytes="-" tracer_cpu="-" rate="-"
  case $tool in
    etrace)
      read -r seen lost < <(count_etrace "$out")
      rate=$(decode_rate "$seen" "$decode_bin" --json "$out")
      ;;
    strace) seen=$(count_strace "$out") lost=0 ;;
    perf-trace) read -r seen lost < <(count_perf_trace "$out") ;;
    perf-record)
      read -r seen lost < <(count_perf_record "$out")
      rate=$(decode_rate "$seen" perf script -i "$out")
      ;;
    trace-cmd)
      read -r seen lost < <(count_trace_cmd "$out")
      rate=$(decode_rate "$seen" trace-cmd report -i "$out")
      ;;
    bpftrace)
      seen=$(awk '$1 == "@enter:" { print $2 }' "$out")
      seen=${seen:-0} lost=0
      ;;
    sysdig) read -r seen lost < <(count_sysdig "$out") ;;
  esac
  if [[ $tool != native && $tool != bpftrace && -f $out && $seen != - && $seen -gt 0 ]]; then
    bytes=$(awk -v b="$(stat -c %s "$out")" -v s="$seen" 'BEGIN { printf "%.2f", b / s }')
  fi
  if [[ $usage != - ]]; then
    tracer_cpu=$(awk -v u="$usage" -v w="$cpu_us" -v inc="$includes_workload" \
      'BEGIN { t = u - (inc ? w / 1e6 : 0); printf "%.2f", (t < 0) ? 0 : t }')
  fi
  local wall
  wall=$(awk -v us=$((t1 - t0)) 'BEGIN { printf "%.2f", us / 1e6 }')
  printf '%s\t%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$w" "$tool" "$run" "$ns_per_call" \
    "$made" "$seen" "$lost" "$bytes" "$tracer_cpu" "$wall" "$rate" "${others:--}" >>"$rows"
  [[ ${ETRACE_BENCH_KEEP:-0} == 1 ]] || rm -rf "$dir"
}

# sysdig has no run-a-command mode: it captures the workload's command name
# from outside, started first and stopped after. Only reached where its
# driver loads (not on the machine this harness was written on).
run_sysdig() {
  local dir=$1 out=$2 cg=$3 comm
  comm=$(basename "${WL[0]}")
  [[ $comm == env ]] && comm=tar
  run_in_cgroup "$cg" taskset -c 1 sysdig -q -w "$out" "proc.name=${comm:0:15}" \
    >"$dir/stdout" 2>"$dir/stderr" &
  local sysdig_pid=$!
  sleep 3
  taskset -c 0 "${WL[@]}" >/dev/null 2>>"$dir/stderr" || return 1
  kill -INT "$sysdig_pid"
  wait "$sysdig_pid"
}

count_sysdig() { # prints "seen lost": entries ('>') seen; sysdig's file holds no drop count
  echo "$(sysdig -r "$1" -p '%evt.dir' 2>/dev/null | grep -c '>') -"
}

# --- the tables ---------------------------------------------------------------

print_tables() {
  local w
  for w in "${workloads[@]}"; do
    local n=${n_of[$w]} what
    case $w in
      getppid) what="$n getppid calls" ;;
      rw) what="$n write+read pairs" ;;
      open) what="$n openat+close pairs" ;;
      tar) what="$(awk -v w=tar '$1 == w && $2 == "native" && $4 == "ok" { print $6; exit }' "$rows") syscalls" ;;
    esac
    [[ $w != tar ]] && what+=" per run (strace, perf trace: N/$slow_div)"
    echo
    echo "== $w: ${title_of[$w]}"
    echo "   $what; median of $runs runs"
    awk -F'\t' -v w="$w" -v order="${tools[*]}" -v sysdig_reason="$sysdig_reason" -f - "$rows" <<'AWK'
function median(key,   n, i, j, v, a) {
  n = cnt[key]
  if (n == 0) return "-"
  for (i = 1; i <= n; i++) a[i] = val[key, i]
  for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > v + 0; j--) a[j + 1] = a[j]; a[j + 1] = v }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(tool, col, v) { if (v == "-" || v == "") return; cnt[tool SUBSEP col]++; val[tool SUBSEP col, cnt[tool SUBSEP col]] = v }
function num(v, fmt) { return v == "-" ? "-" : sprintf(fmt, v) }
BEGIN {
  name["native"] = "native"; name["bare-hook"] = "bare tp_btf hook"; name["etrace"] = "etrace-capture"; name["strace"] = "strace -f"
  name["perf-trace"] = "perf trace"; name["perf-record"] = "perf record+script"
  name["trace-cmd"] = "trace-cmd record+report"; name["bpftrace"] = "bpftrace count only"
  name["sysdig"] = "sysdig"
}
$1 == w {
  tool = $2
  seen_tool[tool] = 1
  runs[tool]++
  if ($4 != "ok") { failed[tool] = $5; nfail[tool]++; next }
  ok[tool]++
  if ($13 != "-" && $13 != "") { busy[tool]++; busy_names[tool] = $13 }
  add(tool, "ns", $5); add(tool, "bytes", $9); add(tool, "cpu", $10); add(tool, "wall", $11); add(tool, "rate", $12)
  made[tool] = $6
  if ($7 != "-" && (!(tool in minseen) || $7 + 0 < minseen[tool])) minseen[tool] = $7 + 0
  if ($8 != "-" && (!(tool in maxlost) || $8 + 0 > maxlost[tool])) maxlost[tool] = $8 + 0
}
END {
  printf "%-24s %9s %9s %8s %21s %9s %7s %10s %7s %11s\n", "tool", "ns/call", "added ns", "slowdown",
    "seen/made", "lost", "B/call", "tracer CPU", "wall s", "decode/s"
  native = median("native" SUBSEP "ns")
  split(order, tl, " ")
  for (k = 1; k in tl; k++) {
    t = tl[k]
    if (t == "sysdig" && sysdig_reason != "") { printf "%-24s unavailable: %s\n", name[t], sysdig_reason; continue }
    if (!(t in seen_tool)) continue
    if (!(t in ok)) { printf "%-24s failed: %s\n", name[t], failed[t]; continue }
    ns = median(t SUBSEP "ns")
    added = (t == "native" || native == "-") ? "-" : sprintf("%.1f", ns - native)
    slow = (native == "-" || native == 0) ? "-" : sprintf("%.2fx", ns / native)
    sm = (t in minseen) ? minseen[t] "/" made[t] : "-"
    printf "%-24s %9.1f %9s %8s %21s %9s %7s %10s %7s %11s\n", name[t], ns, added, slow, sm,
      (t in maxlost) ? maxlost[t] : "-", num(median(t SUBSEP "bytes"), "%.2f"),
      num(median(t SUBSEP "cpu"), "%.2f"), num(median(t SUBSEP "wall"), "%.2f"),
      num(median(t SUBSEP "rate"), "%.0f")
    if (t in nfail) printf "%-24s (%d of %d runs failed, figures from the rest: %s)\n", "", nfail[t], runs[t], failed[t]
  }
  for (k = 1; k in tl; k++)
    if (tl[k] in busy)
      printf "note: %d of the %s runs went ahead while another tracer ran (%s)\n", busy[tl[k]], name[tl[k]], busy_names[tl[k]]
}
AWK
  done
}

print_header() {
  echo "etrace bench, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "host: $(uname -sr), $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  local type
  type=$(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$build/CMakeCache.txt")
  echo "etrace: $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?'), $build (CMAKE_BUILD_TYPE=${type:-unset, so the project default})"
  echo "tools: $(strace -V | head -1 | awk '{ print $1, $4 }'), perf $(perf --version | awk '{ print $3 }'), trace-cmd $(trace-cmd --version 2>/dev/null | awk '/version/ { print $3; exit }'), $(bpftrace --version), sysdig $(sysdig --version 2>/dev/null | awk '{ print $3 }')"
  echo "load average at start: $load_at_start"
  echo "pinning: workload on CPU 0, tracer on CPU 1, decoders on CPU 1"
  echo "columns: ns/call is the workload's own clock per syscall; added = traced - native; seen/made counts"
  echo "  syscalls; lost is the tool's own count (records); B/call = output file bytes per syscall seen;"
  echo "  tracer CPU = user+sys s of the tracer, workload excluded; wall = whole tracer command;"
  echo "  decode/s = syscalls/s of etrace-decode --json, perf script, trace-cmd report to /dev/null."
}

# --- main ---------------------------------------------------------------------

cleanup() {
  if [[ -n ${cgroup_parent:-} ]]; then
    rmdir "$cgroup_parent"/* "$cgroup_parent" 2>/dev/null || true
  fi
  if [[ -n ${work:-} && ${ETRACE_BENCH_KEEP:-0} != 1 ]]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT

started=$SECONDS
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
install_tools
build_etrace
prepare_tracefs
prepare_cgroup
mkdir -p "$out_dir"
build_workloads
check_sysdig
[[ -n $sysdig_reason ]] && say "sysdig unavailable: $sysdig_reason"

work=$(mktemp -d "${TMPDIR:-/tmp}/etrace-bench.XXXXXX")
[[ ${ETRACE_BENCH_KEEP:-0} == 1 ]] && say "keeping captures in $work"
rows=$work/rows.tsv
: >"$rows"
open_file=$work/open-me
echo "a real file for open_close" >"$open_file"

declare -A base_of=()
for w in "${workloads[@]}"; do
  count_made "$w"
  # Warm caches (tar reads /usr/include) with one native run not counted.
  wl_cmd "$w" "${n_of[$w]}" "$work/warm-report"
  taskset -c 0 "${WL[@]}" >/dev/null 2>&1 || true
  for ((run = 1; run <= runs; run++)); do
    for tool in "${tools[@]}"; do
      [[ $tool == sysdig && -n $sysdig_reason ]] && continue
      say "$w: $tool, run $run of $runs ($((SECONDS - started)) s)"
      run_one "$w" "$tool" "$run"
    done
  done
done

{
  print_header
  print_tables
  echo
  echo "took $((SECONDS - started)) s"
} | tee "$out_dir/results.txt"
say "written to $out_dir/results.txt"
