#!/usr/bin/env bash
# The kernel matrix: etrace on Debian's own kernels, each booted in qemu with
# this machine's root file system shared read-only over 9p, and on the
# running kernel directly. Prints one table; exits non-zero when any kernel
# fails anything, a kernel that cannot be fetched or booted included.
#
#   scripts/test-kernels.sh                      # every kernel, ~4-6 min on 2 cores
#   scripts/test-kernels.sh --kernels 5.10,6.1   # some of them
#
# Kernels (the newest generic amd64 image package of each suite, chosen
# when the script runs; never the -cloud- flavour, which has no 9p):
#   host  the running kernel: tests/kernels/guest.sh runs here, no VM
#   5.10  bullseye's linux-image-5.10.0-N-amd64
#   6.1   bookworm's linux-image-6.1.0-N-amd64, from this machine's apt sources
#   6.12  bookworm-backports' linux-image-6.12.N+debV-amd64
#
# How: packages come from `apt-get download` (bullseye and backports through a
# private apt state under the cache, on the mirror this machine's own sources
# name; the machine's apt configuration is never changed, nor a kernel
# installed), are unpacked and cached. Each kernel boots under TCG
# (/dev/kvm here is nested and cannot run `-cpu host`) with an initramfs of
# busybox-static, tests/kernels/init.sh and the kernel's 9p, virtio and
# overlay modules; init.sh mounts the host's root and switch_roots into
# tests/kernels/guest.sh, which checks the kernel (bpftool, etrace-capture
# --check, the programs bpftool lists during a capture, a run-a-command
# capture decoded to text and JSON, a library-call capture, a subset of the
# live tests) and writes its results to a second, writable 9p share. The
# capture is then decoded again here: both decodes must be byte-identical.
# What --check says the kernel lacks (library calls before 5.15) is n/a.
#
# Results, per kernel, in $ETRACE_KERNEL_RESULTS/LABEL (default
# build/kernels/LABEL): results.env, console.log (the VM's serial console),
# the capture file and its decodes, live.json, the steps' outputs.
#
# Options:
#   --kernels LIST   comma-separated, of: host 5.10 6.1 6.12 (default all)
#   --keep           keep each VM's scratch directory (initramfs)
#   --jobs N         VMs at once (default 1); with 2, each VM gets 1 vCPU
#   --timeout S      hard wall-clock limit of each VM, and of the host row (default 720)
#   --report         print the table of the results already there; run nothing
#
# Environment: ETRACE_BUILD_DIR (default build/, reused when present, else
# built), ETRACE_KERNEL_CACHE (downloaded kernels; default
# ${XDG_CACHE_HOME:-$HOME/.cache}/etrace-kernels), ETRACE_KERNEL_RESULTS,
# ETRACE_VM_MEMORY (default 3G), ETRACE_STEP_TIMEOUT (seconds per guest step,
# default 150), ETRACE_LIVE_TIMEOUT (the live subset, default 360).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ETRACE_BUILD_DIR:-$root/build}
cache=${ETRACE_KERNEL_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/etrace-kernels}
results_root=${ETRACE_KERNEL_RESULTS:-$build/kernels}
vm_memory=${ETRACE_VM_MEMORY:-3G}
step_timeout=${ETRACE_STEP_TIMEOUT:-150}
live_timeout=${ETRACE_LIVE_TIMEOUT:-360}
vm_timeout=720
parallel=1
keep=0
report_only=0
all_kernels=(host 5.10 6.1 6.12)
kernels=("${all_kernels[@]}")
# The modules the initramfs loads (with what they need, in depmod's order)
# when the kernel has them as modules rather than built in.
initramfs_modules=(virtio_pci 9pnet_virtio 9p overlay)
boot_marker="etrace-guest: booted"

say() { echo "test-kernels: $*" >&2; }
die() {
  say "$*"
  exit 1
}

usage() {
  sed -n '/^# Options:/,/^# Environment/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

parse_options() {
  while (($#)); do
    case $1 in
      --kernels)
        [[ $# -ge 2 ]] || usage
        IFS=, read -r -a kernels <<<"$2"
        shift 2
        ;;
      --keep) keep=1 && shift ;;
      --report) report_only=1 && shift ;;
      --jobs)
        [[ $# -ge 2 && $2 =~ ^[12]$ ]] || die "--jobs takes 1 or 2: the machine has $(nproc) cores."
        parallel=$2
        shift 2
        ;;
      --timeout)
        [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || die "--timeout takes a number of seconds."
        vm_timeout=$2
        shift 2
        ;;
      -h | --help) usage ;;
      *) die "unknown option $1 (see --help)." ;;
    esac
  done
  local k
  for k in "${kernels[@]}"; do
    [[ " ${all_kernels[*]} " == *" $k "* ]] || die "unknown kernel '$k'; known: ${all_kernels[*]}."
  done
}

# --- what each kernel is ------------------------------------------------------

# kernel_spec LABEL: sets spec_apt (host, or the name of a private apt state),
# spec_suites and spec_security_suites (for a private state), spec_pattern
# (the image package names, an extended regex) and spec_cpu (qemu's -cpu:
# the plainest model boots all three; -cpu max was measured no faster).
kernel_spec() {
  spec_suites="" spec_security_suites=""
  case $1 in
    5.10)
      spec_apt=bullseye spec_suites="bullseye bullseye-updates" spec_security_suites=bullseye-security
      spec_pattern='^linux-image-5\.10\.0-[0-9]+-amd64$'
      spec_cpu=qemu64
      ;;
    6.1)
      spec_apt=host
      spec_pattern='^linux-image-6\.1\.0-[0-9]+-amd64$'
      spec_cpu=qemu64
      ;;
    6.12)
      spec_apt=bookworm-backports spec_suites=bookworm-backports
      spec_pattern='^linux-image-6\.12\.[0-9]+\+[a-z0-9.~]+-amd64$'
      spec_cpu=qemu64
      ;;
  esac
}

# --- fetching kernels -----------------------------------------------------------

# Prints "URI SUITE" for each suite the machine's own apt sources name, in
# both the deb822 (.sources) and the one-line (.list) formats.
machine_apt_sources() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r $f ]] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; suites = ""; enabled = 1
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) uris = substr($i, 6)
          else if ($i ~ /^Suites:/) suites = substr($i, 8)
          else if ($i ~ /^Enabled:[ \t]*no/) enabled = 0
        }
        if (!enabled) next
        nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
        for (a = 1; a <= nu; a++) for (b = 1; b <= ns; b++) if (u[a] != "" && s[b] != "") print u[a], s[b]
      }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r $f ]] || continue
    sed -E 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" { print $2, $3 }'
  done
}

# Sets mirror and security_mirror from the machine's sources: the archive
# that serves its release, and the one that serves its -security suite.
find_mirrors() {
  local sources
  sources=$(machine_apt_sources)
  mirror=$(awk '$2 !~ /-security$/ { print $1; exit }' <<<"$sources")
  security_mirror=$(awk '$2 ~ /-security$/ { print $1; exit }' <<<"$sources")
  [[ -n $mirror ]] || die "the machine's apt sources name no Debian archive to fetch kernels from."
}

# apt_state NAME: sets apt_args for the host's own apt state, or for the
# private state NAME (sources, lists, cache and an empty dpkg status of its
# own, under the cache).
apt_state() {
  apt_args=(-o APT::Sandbox::User=root -o Acquire::Retries=3)
  [[ $1 == host ]] && return
  local dir=$cache/apt/$1
  apt_args+=(
    -o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=-
    -o "Dir::Etc::preferences=$dir/preferences" -o "Dir::Etc::preferencesparts=$dir/preferences.d"
    -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache"
    -o "Dir::State::status=$dir/status"
  )
}

# write_private_sources NAME: the private state's sources.list, on the
# machine's own mirrors; the keyring is the one Debian ships every release's
# keys in.
write_private_sources() {
  local dir=$cache/apt/$1 suite opts="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]"
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/preferences.d"
  touch "$dir/status"
  {
    for suite in $spec_suites; do echo "deb $opts $mirror $suite main"; done
    if [[ -n $security_mirror ]]; then
      for suite in $spec_security_suites; do echo "deb $opts $security_mirror $suite main"; done
    fi
  } >"$dir/sources.list.new"
  mv "$dir/sources.list.new" "$dir/sources.list"
}

# refresh_lists NAME: apt-get update of a private state whose lists are
# missing, a day old, or for other sources than last time.
refresh_lists() {
  local dir=$cache/apt/$1
  if [[ -f $dir/updated && -z $(find "$dir/updated" -mmin +1440) ]] && cmp -s "$dir/sources.list" "$dir/updated"; then
    return 0
  fi
  say "$1: apt-get update (private state in $dir)"
  if apt-get "${apt_args[@]}" -qq update >"$dir/update.log" 2>&1; then
    cp "$dir/sources.list" "$dir/updated"
  else
    say "$1: apt-get update failed ($(tail -1 "$dir/update.log")); using the lists already there, if any"
  fi
}

# newest_package: the newest package name matching spec_pattern that apt
# (with apt_args) knows, or nothing.
newest_package() {
  apt-cache "${apt_args[@]}" search --names-only "$spec_pattern" 2>/dev/null |
    awk '{ print $1 }' | grep -E "$spec_pattern" | sort -V | tail -1 || true
}

# fetch_kernel LABEL: downloads and unpacks the kernel of LABEL (once; later
# runs reuse it). Sets kernel_dir, kernel_release and kernel_package, or
# fetch_error and returns 1. The cache is locked meanwhile: two matrices may
# share it.
fetch_kernel() {
  local lock rc=0
  exec {lock}>>"$cache/lock"
  flock "$lock"
  find_kernel "$1" || rc=$?
  exec {lock}>&-
  return "$rc"
}

find_kernel() {
  kernel_spec "$1"
  apt_state "$spec_apt"
  fetch_error="" kernel_package=""
  if [[ $spec_apt != host ]]; then
    write_private_sources "$spec_apt"
    refresh_lists "$spec_apt"
  fi
  kernel_package=$(newest_package)
  if [[ -z $kernel_package && $spec_apt == host && -z ${host_lists_updated:-} ]]; then
    say "$1: no $spec_pattern in the machine's apt lists; apt-get update"
    host_lists_updated=1
    apt-get "${apt_args[@]}" -qq update >&2 || true
    kernel_package=$(newest_package)
  fi
  if [[ -z $kernel_package ]]; then
    # Offline: the newest one unpacked by an earlier run will do.
    kernel_package=$(find "$cache/kernels" -mindepth 2 -maxdepth 2 -name .unpacked -printf '%h\n' 2>/dev/null |
      xargs -r -n1 basename | grep -E "$spec_pattern" | sort -V | tail -1 || true)
    [[ -n $kernel_package ]] && say "$1: apt knows no package; using the cached $kernel_package"
  fi
  if [[ -z $kernel_package ]]; then
    fetch_error="no package matching $spec_pattern in the apt lists (apt-get update failed?)"
    return 1
  fi
  kernel_release=${kernel_package#linux-image-}
  kernel_dir=$cache/kernels/$kernel_package
  [[ -f $kernel_dir/.unpacked ]] && return 0
  unpack_kernel "$1" || return 1
}

# unpack_kernel LABEL: apt-get download of kernel_package into the cache,
# unpacked, with modules.dep made by depmod (the package carries none).
unpack_kernel() {
  local debs=$cache/debs deb tmp
  mkdir -p "$debs" "$cache/kernels"
  say "$1: downloading $kernel_package"
  if ! (cd "$debs" && apt-get "${apt_args[@]}" -qq download "$kernel_package" >&2); then
    fetch_error="apt-get download $kernel_package failed"
    return 1
  fi
  local found=("$debs/${kernel_package}"_*.deb)
  deb=${found[-1]}
  tmp=$kernel_dir.tmp
  rm -rf "$tmp"
  dpkg-deb -x "$deb" "$tmp" || { fetch_error="cannot unpack $deb"; return 1; }
  # Newer packages keep modules under /usr/lib only; depmod -b looks in lib/.
  if [[ ! -d $tmp/lib/modules && -d $tmp/usr/lib/modules ]]; then
    ln -s usr/lib "$tmp/lib"
  fi
  depmod -b "$tmp" "$kernel_release" || { fetch_error="depmod failed on $kernel_package"; return 1; }
  rm -rf "$kernel_dir"
  mv "$tmp" "$kernel_dir"
  touch "$kernel_dir/.unpacked"
  rm -f "$deb"
  # The older ones of this suite are not used again.
  local old
  for old in "$cache"/kernels/linux-image-*; do
    [[ $old != "$kernel_dir" && $(basename "$old") =~ $spec_pattern ]] && rm -rf "$old"
  done
  return 0
}

# --- the VM ------------------------------------------------------------------------

# module_load_order DIR RELEASE: the .ko paths (relative to the modules
# directory) to insmod, dependencies first, each once; a module built into
# the kernel needs nothing. modules.dep lists a module's dependencies so that
# the last is loaded first.
module_load_order() {
  local moddir=$1/lib/modules/$2 name line deps i
  local -A seen=()
  for name in "${initramfs_modules[@]}"; do
    line=$(grep -E "(^|/)$name\.ko(\.xz|\.gz|\.zst)?:" "$moddir/modules.dep" || true)
    if [[ -z $line ]]; then
      grep -qE "/$name\.ko$" "$moddir/modules.builtin" ||
        { say "kernel $2 has no module $name, nor has it built in"; return 1; }
      continue
    fi
    read -r -a deps <<<"${line#*:}"
    # Dependencies from the last to the first, then the module.
    local ordered=()
    for ((i = ${#deps[@]} - 1; i >= 0; i--)); do ordered+=("${deps[i]}"); done
    ordered+=("${line%%:*}")
    for i in "${ordered[@]}"; do
      [[ -n ${seen[$i]:-} ]] && continue
      seen[$i]=1
      echo "$i"
    done
  done
}

# build_initramfs DIR RELEASE OUT: busybox-static, init.sh as /init, and the
# modules, decompressed (busybox insmod takes plain .ko files).
build_initramfs() {
  local kdir=$1 release=$2 out=$3 stage ko src plain order
  stage=$(dirname "$out")/initramfs
  rm -rf "$stage"
  mkdir -p "$stage"/{bin,dev,proc,sys,newroot,modules}
  cp /bin/busybox "$stage/bin/busybox"
  ln -s busybox "$stage/bin/sh"
  install -m 0755 "$root/tests/kernels/init.sh" "$stage/init"
  order=$(module_load_order "$kdir" "$release") || return 1
  for ko in $order; do
    src=$kdir/lib/modules/$release/$ko
    plain=$(basename "$ko")
    plain=${plain%.ko*}.ko
    case $ko in
      *.xz) busybox xzcat "$src" ;;
      *.gz) busybox zcat "$src" ;;
      *.zst) zstd -qdc "$src" ;;
      *) cat "$src" ;;
    esac >"$stage/modules/$plain"
    echo "$plain" >>"$stage/modules/order"
  done
  (cd "$stage" && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -1 >"$out"
}

# env_line KEY VALUE: a line guest.env's readers (busybox sh, then bash) both
# take, the value single-quoted.
env_line() {
  [[ $2 != *"'"* ]] || die "$1 holds a single quote, which guest.env cannot carry: $2"
  printf "%s='%s'\n" "$1" "$2"
}

# run_vm LABEL OUTDIR SMP: boots the kernel fetched for LABEL, waits for it to
# power off (killing it at vm_timeout), and records boot and total seconds.
run_vm() {
  local label=$1 out=$2 smp=$3 scratch log pid t0 now booted="" timed_out=0 rc=0
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/etrace-kernel-$label.XXXXXX")
  log=$out/console.log
  host_record "$out" initramfs_modules "${initramfs_modules[*]}"
  if ! build_initramfs "$kernel_dir" "$kernel_release" "$scratch/initramfs.gz" 2>>"$out/host.log"; then
    host_record "$out" boot_error "cannot build the initramfs ($(tail -1 "$out/host.log"))"
    rm -rf "$scratch"
    return
  fi
  {
    env_line ETRACE_GUEST "$root/tests/kernels/guest.sh"
    env_line ETRACE_BUILD "$build"
    env_line ETRACE_STEP_TIMEOUT "$step_timeout"
    env_line ETRACE_LIVE_TIMEOUT "$live_timeout"
  } >"$out/guest.env"
  # shellcheck disable=SC2054 # qemu's options are comma-separated
  local qemu=(
    qemu-system-x86_64 -accel tcg,thread=multi -cpu "$spec_cpu" -smp "$smp" -m "$vm_memory"
    -M pc -nodefaults -no-user-config -display none -no-reboot
    -kernel "$kernel_dir/boot/vmlinuz-$kernel_release" -initrd "$scratch/initramfs.gz"
    # panic=-1 and -no-reboot: a kernel panic ends qemu at once.
    -append "console=ttyS0 panic=-1"
    -serial "file:$log"
    # multidevs=remap: / spans several host file systems; keep inodes unique.
    -virtfs "local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap,id=root"
    -virtfs "local,path=$out,mount_tag=out,security_model=none,id=out"
  )
  host_record "$out" qemu "${qemu[*]}"
  say "$label: booting $kernel_release (-cpu $spec_cpu, $smp vCPU, $vm_memory; limit $vm_timeout s; console: $log)"
  t0=$(date +%s.%N)
  "${qemu[@]}" </dev/null >"$out/qemu.out" 2>&1 &
  pid=$! vm_pid=$! vm_scratch=$scratch
  # A matrix stopped midway (CI cancelled, Ctrl-C) leaves no VM behind.
  trap 'kill "$vm_pid" 2>/dev/null; rm -rf "$vm_scratch"; exit 143' TERM INT HUP
  while kill -0 "$pid" 2>/dev/null; do
    now=$(date +%s.%N)
    if [[ -z $booted ]] && grep -q "$boot_marker" "$log" 2>/dev/null; then
      booted=$(elapsed "$t0" "$now")
      host_record "$out" boot_s "$booted"
      say "$label: reached guest.sh in $booted s"
    fi
    if awk -v a="$t0" -v b="$now" -v l="$vm_timeout" 'BEGIN { exit !(b - a > l) }'; then
      say "$label: killing qemu after $vm_timeout s"
      timed_out=1
      kill "$pid" 2>/dev/null || true
      sleep 5
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5
  done
  wait "$pid" || rc=$?
  trap - TERM INT HUP
  host_record "$out" total_s "$(elapsed "$t0" "$(date +%s.%N)")"
  host_record "$out" qemu_rc "$rc"
  host_record "$out" timed_out "$timed_out"
  if [[ -z $booted ]] && grep -q "$boot_marker" "$log" 2>/dev/null; then
    host_record "$out" boot_s "?"
  fi
  if [[ $keep == 1 ]]; then
    say "$label: scratch kept in $scratch"
  else
    rm -rf "$scratch"
  fi
}

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# host_record OUTDIR KEY VALUE: what the host learnt, in OUTDIR/host.env.
host_record() {
  printf '%s=%s\n' "$2" "${3//$'\n'/ }" >>"$1/host.env"
}

# decode_anywhere OUTDIR: the guest's capture decoded here, compared byte for
# byte with the guest's own decodes.
decode_anywhere() {
  local out=$1 verdict
  if [[ ! -s $out/capture.etrace ]]; then
    verdict="no capture"
  elif [[ ! -f $out/decode.txt || ! -f $out/decode.json ]]; then
    verdict="not decoded in the guest"
  else
    "$build/bin/etrace-decode" "$out/capture.etrace" >"$out/host-decode.txt" 2>"$out/host-decode.err" || true
    "$build/bin/etrace-decode" --json "$out/capture.etrace" >"$out/host-decode.json" 2>>"$out/host-decode.err" || true
    local differ=()
    cmp -s "$out/decode.txt" "$out/host-decode.txt" || differ+=(text)
    cmp -s "$out/decode.json" "$out/host-decode.json" || differ+=(json)
    if [[ ! -s $out/decode.txt ]]; then
      verdict="empty decode"
    elif ((${#differ[@]} == 0)); then
      verdict=identical
    else
      verdict="differs (${differ[*]})"
    fi
  fi
  host_record "$out" decode_anywhere "$verdict"
}

# run_kernel LABEL SMP: fetch, boot, check, compare; everything learnt goes
# to the kernel's results directory, to be tabulated at the end.
run_kernel() {
  local label=$1 smp=$2 out=$results_root/$1 t0
  rm -rf "$out"
  mkdir -p "$out"
  t0=$(date +%s.%N)
  if [[ $label == host ]]; then
    host_record "$out" package "running kernel"
    say "host: running tests/kernels/guest.sh --checks here ($(uname -r))"
    ETRACE_BUILD=$build ETRACE_STEP_TIMEOUT=$step_timeout ETRACE_LIVE_TIMEOUT=$live_timeout \
      timeout --kill-after=10 "$vm_timeout" bash "$root/tests/kernels/guest.sh" --checks "$out" \
      >"$out/console.log" 2>&1 || host_record "$out" checks_exit "$?"
    host_record "$out" total_s "$(elapsed "$t0" "$(date +%s.%N)")"
  elif ! fetch_kernel "$label"; then
    host_record "$out" fetch_error "$fetch_error"
    say "$label: cannot fetch: $fetch_error"
    return
  else
    host_record "$out" package "$kernel_package"
    host_record "$out" cpu "$spec_cpu"
    host_record "$out" fetch_s "$(elapsed "$t0" "$(date +%s.%N)")"
    run_vm "$label" "$out" "$smp"
  fi
  decode_anywhere "$out"
  say "$label: done in $(elapsed "$t0" "$(date +%s.%N)") s; results in $out"
}

# --- reading the results ----------------------------------------------------------

# value FILE KEY: the last KEY=... of a key=value file, or nothing.
value() {
  [[ -f $1 ]] || return 0
  awk -v k="$2" 'index($0, k "=") == 1 { v = substr($0, length(k) + 2) } END { print v }' "$1"
}

# parse_check FILE: "NAME<TAB>INSNS" per program from etrace-capture --check.
# The one place that knows its format: "program NAME verified_insns N
# load_ms M" (or "prog NAME insns N ms M"); a program line with no count is
# a failure.
parse_check() {
  [[ -f $1 ]] || return 0
  awk '$1 == "program" || $1 == "prog" {
      insns = "FAIL"
      for (i = 3; i < NF; i++) if ($i == "verified_insns" || $i == "insns") insns = $(i + 1)
      print $2 "\t" insns
    }' "$1"
}

# check_says FILE WORD: the text of --check's "result" or "warning" lines
# ("result   a capture will work on this kernel").
check_says() {
  [[ -f $1 ]] || return 0
  awk -v w="$2" '$1 == w { sub(/^[^ ]+ +/, ""); print }' "$1"
}

# check_lacks FILE: the features --check found missing, comma-separated
# ("feature  task storage in tracing programs   no    (Linux 5.13): ...").
check_lacks() {
  [[ -f $1 ]] || return 0
  awk '$1 == "feature" && match($0, / +no( |$)/) {
      name = substr($0, 1, RSTART - 1); sub(/^feature +/, "", name)
      since = ""; if (match($0, /\(Linux [^)]*\)/)) since = " " substr($0, RSTART, RLENGTH)
      out = out (out == "" ? "" : ", ") name since
    }
    END { print out }' "$1"
}

# parse_libbpf FILE: "NAME<TAB>FAIL N<TAB>WHY" per program libbpf failed to
# load, from etrace-capture -v: N is the instructions the verifier processed,
# WHY the verifier's last complaint or libbpf's error.
parse_libbpf() {
  [[ -f $1 ]] || return 0
  awk '
    match($0, /^libbpf: prog .[^ ]+.: BPF program load failed: /) {
      name = $3; gsub(/[^A-Za-z0-9_]/, "", name)
      why[name] = substr($0, RLENGTH + 1); order[++n] = name; last = ""; next
    }
    /^processed [0-9]+ insns/ && n {
      insns[order[n]] = $2
      if (last != "") why[order[n]] = last " (" why[order[n]] ")"
      next
    }
    NF && $0 !~ /^libbpf:/ { last = $0 }
    END { for (i = 1; i <= n; i++) print order[i] "\tFAIL" (insns[order[i]] == "" ? "" : " " insns[order[i]]) "\t" why[order[i]] }
  ' "$1"
}

# live_counts OUTDIR: "PASSED SKIPPED<TAB>failed names" of the live subset;
# from gtest's JSON, or from its console output when the run was cut short.
live_counts() {
  local out=$1
  if [[ -s $out/live.json ]]; then
    python3 - "$out/live.json" <<'PY'
import json, sys
passed, skipped, failed = 0, 0, []
for suite in json.load(open(sys.argv[1])).get("testsuites", []):
    for t in suite.get("testsuite", []):
        if t.get("failures"):
            failed.append(suite["name"] + "." + t["name"])
        elif t.get("result") == "SKIPPED":
            skipped += 1
        elif t.get("result") == "COMPLETED" and t.get("status") == "RUN":
            passed += 1
print(f"{passed} {skipped}\t{' '.join(failed)}")
PY
  elif [[ -f $out/live.txt ]]; then
    awk '/^\[       OK \]/ { ok[$4] = 1 } /^\[  SKIPPED \] [^ ]+ \(/ { skip[$4] = 1 }
      /^\[  FAILED  \] [^ ]+ \(/ { bad[$4] = 1 }
      END { s = ""; for (t in bad) s = s " " t
            p = 0; for (t in ok) p++; k = 0; for (t in skip) k++; print p " " k "\t" substr(s, 2) }' "$out/live.txt"
  fi
}

# capture_error FILE: the last line etrace-capture printed about itself, and
# libbpf's first complaint.
capture_error() {
  [[ -f $1 ]] || return 0
  local own libbpf
  own=$(grep -E '^etrace-capture: ' "$1" | tail -1 || true)
  libbpf=$(grep -E '^libbpf: ' "$1" | head -1 || true)
  echo "${own:-no message}${libbpf:+ (first from libbpf: ${libbpf#libbpf: })}"
}

# loaded_programs OUTDIR: "NAME<TAB>loaded" for each program bpftool listed
# while a capture ran (programs.json) that was not loaded before it
# (bpftool_prog_list.txt).
loaded_programs() {
  python3 - "$1" <<'PY'
import json, os, sys
def listed(name):
    try:
        return json.load(open(os.path.join(sys.argv[1], name)))
    except (OSError, ValueError):
        return []
before = {p["id"] for p in listed("bpftool_prog_list.txt")}
for p in listed("programs.json"):
    if p["id"] not in before:
        print(p["name"] + "\tloaded")
PY
}

# program_cells OUTDIR: "NAME<TAB>CELL" per program: --check's count, else
# libbpf's failure, else "loaded" when bpftool saw it during a capture.
program_cells() {
  {
    parse_check "$1/check.txt"
    parse_libbpf "$1/capture.txt" | cut -f1,2
    parse_libbpf "$1/libcalls.txt" | cut -f1,2
    loaded_programs "$1"
  } | awk -F'\t' '!seen[$1]++'
}

# program_names: the programs any kernel reported, on_sys_enter and
# on_sys_exit first.
program_names() {
  local label
  {
    printf 'on_sys_enter\non_sys_exit\n'
    for label in "${kernels[@]}"; do program_cells "$results_root/$label" | cut -f1; done
  } | awk '!seen[$0]++'
}

# note_failure TEXT: the row being made fails, for this reason.
note_failure() {
  row_failed=1
  row_notes+=("$1")
}

# kernel_row LABEL: sets row, the table's row for LABEL ("|"-separated),
# row_failed (1 when anything failed) and row_notes (why, and details).
kernel_row() {
  local label=$1 out=$results_root/$1 env host finished=1
  env=$out/results.env host=$out/host.env
  row_failed=0 row_notes=()
  local boot=ok
  if [[ -n $(value "$host" fetch_error) ]]; then
    boot="FAILED (fetch)" && note_failure "cannot fetch: $(value "$host" fetch_error)"
  elif [[ -n $(value "$host" boot_error) ]]; then
    boot=FAILED && note_failure "boot: $(value "$host" boot_error)"
  elif [[ $label == host ]]; then
    boot="no VM"
  elif [[ -z $(value "$host" boot_s) ]]; then
    boot=FAILED && note_failure "boot: guest.sh never started ($(boot_failure "$out/console.log"))"
  fi
  [[ $(value "$host" timed_out) == 1 ]] && note_failure "the VM was killed at the $vm_timeout s limit"
  if [[ $boot == ok || $boot == "no VM" ]]; then
    if [[ $(value "$env" checks_done) != yes ]]; then
      finished=0
      note_failure "guest.sh did not finish its checks; its last step: $(last_step "$out/console.log")"
    fi
    assess_results "$out"
  else
    check="-" cells="" capture="-" libcalls="-" decode="-" live="-"
    local name
    for name in "${prog_names[@]}"; do cells+="-|"; done
  fi
  local release package
  release=$(value "$env" kernel_release)
  package=$(value "$host" package)
  local boot_s
  boot_s=$(value "$host" boot_s)
  row="$label|${release:-${package#linux-image-}}|$boot|${boot_s:--}|$(value "$host" total_s)|$check|$cells"
  row+="$capture|$libcalls|$decode|$live|$([[ $row_failed == 1 ]] && echo FAIL || echo ok)"
}

# last_step LOG: the step guest.sh last started, from its console output.
last_step() {
  local last
  last=$(grep -E '^etrace-guest: [a-z_]+: ' "$1" 2>/dev/null | tail -1 || true)
  echo "${last:-none}"
}

# assess_results OUTDIR: the cells of a kernel that booted (check, cells,
# capture, decode, live), with a note for each failure; a step that never
# ran is not noted when guest.sh was cut short (finished=0): that is noted.
assess_results() {
  local out=$1 env=$1/results.env host=$1/host.env rc name cell why
  rc=$(value "$env" check_rc)
  case $rc in
    absent) check="no --check, $(loaded_programs "$out" | wc -l) by bpftool" ;;
    "") check="-" ;;
    *)
      check="$(parse_check "$out/check.txt" | awk -F'\t' '$2 ~ /^[0-9]+$/' | wc -l)/$(parse_check "$out/check.txt" | wc -l)"
      [[ $rc == 0 ]] || { check+=" (exit $rc)" && note_failure "--check: exit $rc: $(check_says "$out/check.txt" result)"; }
      local warning
      while read -r warning; do row_notes+=("--check warns: $warning"); done < <(check_says "$out/check.txt" warning)
      ;;
  esac
  local all
  all=$(program_cells "$out")
  cells=""
  for name in "${prog_names[@]}"; do
    cell=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' <<<"$all")
    cells+="${cell:--}|"
  done
  while IFS=$'\t' read -r name cell why; do
    row_notes+=("$name failed to load: $why")
  done < <({ parse_libbpf "$out/capture.txt" && parse_libbpf "$out/libcalls.txt"; } | awk -F'\t' '!seen[$1]++')

  rc=$(value "$env" capture_rc)
  case $rc in
    "")
      capture="-"
      [[ $finished == 0 ]] || note_failure "capture: not run"
      ;;
    0) capture=ok ;;
    124 | 137) capture="timeout" && note_failure "capture: killed at the ${step_timeout} s step limit" ;;
    *) capture="exit $rc" && note_failure "capture: exit $rc: $(capture_error "$out/capture.txt")" ;;
  esac
  # A kernel --check declares without library calls is not failed for
  # lacking them (etrace refuses them there, saying why): they are n/a.
  local libcalls_na=0
  [[ $(check_says "$out/check.txt" path) != *"library calls not available"* ]] || libcalls_na=1
  rc=$(value "$env" libcalls_rc)
  case $rc/$libcalls_na in
    /*) libcalls="-" ;;
    0/0) libcalls=ok ;;
    0/1) libcalls=ok && note_failure "library calls worked where --check says they are not available" ;;
    */1) libcalls="n/a" && row_notes+=("library calls: n/a, as --check says; $(capture_error "$out/libcalls.txt")") ;;
    *) libcalls="exit $rc" && note_failure "library calls: exit $rc: $(capture_error "$out/libcalls.txt")" ;;
  esac
  decode=$(value "$host" decode_anywhere)
  [[ $decode == identical || ($decode == "no capture" && $finished == 0) ]] ||
    note_failure "decode anywhere: ${decode:-not run}"
  for name in text json; do
    rc=$(value "$env" "decode_${name}_rc")
    [[ -z $rc || $rc == 0 ]] || note_failure "etrace-decode ($name) exited $rc in the guest: $(tail -1 "$out/decode.err")"
  done

  local counts names passed skipped failed=() na=()
  IFS=$'\t' read -r counts names < <(live_counts "$out") || true
  rc=$(value "$env" live_rc)
  if [[ -z $counts ]]; then
    live="-"
    [[ $finished == 0 ]] || note_failure "live subset: no results${rc:+ (exit $rc)}"
    return
  fi
  read -r passed skipped <<<"$counts"
  # The library-call tests (fixture LibCallTest) are n/a where library calls are.
  for name in $names; do
    if [[ $libcalls_na == 1 && $name == LibCallTest.* ]]; then na+=("$name"); else failed+=("$name"); fi
  done
  live="$passed/${#failed[@]}"
  ((skipped == 0)) || live+=" ($skipped skipped)"
  ((${#na[@]} == 0)) || {
    live+=" (+${#na[@]} n/a)"
    row_notes+=("live tests n/a (no library calls on this kernel): ${na[*]}")
  }
  if ((${#failed[@]} > 0)); then
    note_failure "live failures: ${failed[*]}"
    # What etrace-capture said in them, once each: often the whole story.
    local said
    while read -r said; do row_notes+=("  in the live tests: $said"); done < <(
      grep -E '^etrace-capture: ' "$out/live.txt" 2>/dev/null | sort | uniq -c | sort -rn | head -3 |
        sed -E 's/^ *([0-9]+) (.*)/\2 (x\1)/')
  fi
  ((passed + ${#failed[@]} > 0)) || note_failure "live subset: no test ran"
  if [[ $rc == 124 || $rc == 137 ]]; then
    live+=" (cut)" && note_failure "live subset: killed at its ${live_timeout} s limit"
  fi
}

# boot_failure LOG: the console's last words, for a VM that never reached
# guest.sh.
boot_failure() {
  [[ -s $1 ]] || { echo "empty console log"; return; }
  local last
  last=$(grep -E 'etrace-init: FAILED|Kernel panic|not syncing' "$1" | tail -1 || true)
  [[ -n $last ]] || last=$(tail -1 "$1")
  echo "${last:0:120}"
}

# features_line LABEL: what bpftool and the facts say, for the details.
features_line() {
  local env=$results_root/$1/results.env f=$results_root/$1/features.txt
  [[ -f $env ]] || { echo "no results"; return; }
  fact() { local v; v=$(value "$env" "$1"); echo "${v:-?}"; }
  has() {
    if [[ $(value "$env" features_rc) != 0 ]]; then echo "?"; elif grep -qE -e "$1" "$f"; then echo yes; else echo no; fi
  }
  local lacks=""
  if [[ -f $results_root/$1/check.txt ]]; then
    lacks=$(check_lacks "$results_root/$1/check.txt")
    lacks=" --check: lacks ${lacks:-nothing};"
  fi
  printf 'BTF %s; bpftool probe: ringbuf %s, task_storage %s, bpf_loop %s;%s' \
    "$(fact btf)" "$(has 'map_type ringbuf is available')" "$(has 'map_type task_storage is available')" \
    "$(has '- bpf_loop$')" "$lacks"
  printf ' mounts: bpffs %s, tracefs %s, cgroup %s; bpftool prog list: exit %s\n' \
    "$(fact mount__sys_fs_bpf)" "$(fact mount__sys_kernel_tracing)" \
    "$(fact mount__sys_fs_cgroup)" "$(fact bpftool_prog_list_rc)"
}

# print_table: aligned columns of "|"-separated rows, a rule under the first.
print_table() {
  awk -F'|' '
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } if (NF > nf) nf = NF }
    END {
      for (r = 1; r <= NR; r++) {
        line = ""
        for (i = 1; i <= nf; i++) line = line sprintf("%-" w[i] "s", cell[r, i]) (i < nf ? " | " : "")
        print line
        if (r > 1) continue
        line = ""
        for (i = 1; i <= nf; i++) { d = sprintf("%" w[i] "s", ""); gsub(/ /, "-", d); line = line d (i < nf ? "-|-" : "") }
        print line
      }
    }'
}

# report: the table and the details under it; fails when any kernel failed.
report() {
  local label note any_failed=0 header rows="" details=""
  mapfile -t prog_names < <(program_names)
  header="kernel|release|boot|boot s|total s|programs loaded"
  header+="$(printf '|%s' "${prog_names[@]}")"
  header+="|capture|lib calls|decode anywhere|live passed/failed|result"
  for label in "${kernels[@]}"; do
    kernel_row "$label"
    rows+=$row$'\n'
    [[ $row_failed == 0 ]] || any_failed=1
    details+="$label: $(features_line "$label")"$'\n'
    for note in "${row_notes[@]}"; do details+="  - $note"$'\n'; done
    if [[ -s $results_root/$label/console.log ]]; then
      details+="  log: $results_root/$label/console.log"$'\n'
    fi
  done
  echo
  echo "etrace kernel matrix, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), etrace $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')"
  echo "programs: instructions the verifier processed (etrace-capture --check); else FAIL N, libbpf's load"
  echo "failure after N instructions (etrace-capture -v), or loaded, listed by bpftool during a capture;"
  echo "boot and total in seconds"
  printf '%s\n%s' "$header" "$rows" | print_table
  echo
  printf '%s' "$details"
  [[ $report_only == 1 ]] || echo "matrix took $((SECONDS - started)) s"
  echo "results in $results_root"
  return "$any_failed"
}

# --- main ---------------------------------------------------------------------

prepare() {
  [[ $(id -u) -eq 0 ]] || die "must run as root: the host's row loads BPF programs, and kernels are fetched with apt."
  [[ $(uname -m) == x86_64 ]] || die "only x86_64 hosts are supported (the kernels are amd64)."
  # The VMs see the host's root, but their own empty tmpfs on /run.
  local dir
  for dir in "$root" "$build"; do
    [[ $dir != /run/* ]] || die "$dir is under /run, which the VMs cannot see; move it elsewhere."
  done
  "$root/scripts/install-deps.sh" --kernels
  # Reuse build/ when it is there (an up-to-date tree builds in seconds);
  # the matrix needs the live tests, so tests are switched on.
  if [[ -f $build/CMakeCache.txt ]]; then
    say "reusing the build in $build"
  else
    say "building etrace in $build (a few minutes)"
  fi
  cmake -B "$build" -S "$root" -DETRACE_BUILD_TESTS=ON >/dev/null
  cmake --build "$build" -j "$(nproc)" --target etrace-capture etrace-decode etrace_live_tests >/dev/null
  mkdir -p "$cache" "$results_root"
  find_mirrors
}

# run_all: the host row first, alone (its timings are its own); then the
# VMs, one after another or two at once with one vCPU each.
run_all() {
  local label vms=() smp=2
  for label in "${kernels[@]}"; do
    if [[ $label == host ]]; then run_kernel host 0; else vms+=("$label"); fi
  done
  if [[ $parallel == 1 ]]; then
    for label in "${vms[@]}"; do run_kernel "$label" "$smp"; done
    return
  fi
  smp=1
  # Each VM's shell kills its own qemu when stopped.
  trap 'kill $(jobs -p) 2>/dev/null; exit 143' TERM INT HUP
  for label in "${vms[@]}"; do
    while (($(jobs -rp | wc -l) >= parallel)); do wait -n || true; done
    run_kernel "$label" "$smp" &
  done
  wait
}

started=$SECONDS
parse_options "$@"
if [[ $report_only == 0 ]]; then
  prepare
  run_all
fi
report || exit 1
