#!/usr/bin/env bash
# Regenerates bpf/x86/vmlinux.h from the running kernel's BTF. The header is
# checked in so that building needs no BTF; rerun this only to pick up new
# kernel types (CO-RE relocates field offsets at load time either way).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
btf=${1:-/sys/kernel/btf/vmlinux}
[[ $(uname -m) == x86_64 ]] || { echo "gen-vmlinux: only x86_64 is supported" >&2; exit 1; }
[[ -r $btf ]] || { echo "gen-vmlinux: cannot read kernel BTF at $btf" >&2; exit 1; }
bpftool btf dump file "$btf" format c > "$root/bpf/x86/vmlinux.h.tmp"
mv "$root/bpf/x86/vmlinux.h.tmp" "$root/bpf/x86/vmlinux.h"
echo "gen-vmlinux: wrote bpf/x86/vmlinux.h from $btf ($(uname -r))" >&2
