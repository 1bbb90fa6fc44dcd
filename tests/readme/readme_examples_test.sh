#!/usr/bin/env bash
# Runs every etrace-capture and etrace-decode example of the README, as
# written, in a scratch directory: an example that stops working fails
# here. What the README leaves to the reader is filled in, and said:
#   - PIDs 1234 and 5678 are two processes started here;
#   - a capture that would run until Ctrl-C gets --duration 1s;
#   - make, ./build.sh and ./app are small programs made here, and the
#     library /opt/app/libfoo.so is libzstd;
#   - capture.raw, before.raw and after.raw are captures made here first,
#     and big.raw a rotated one (big.raw.0, big.raw.1, ...).
# Lines with sudo (they change the machine) and the scripts/ lines (they
# are the build and this test's own runner) are listed, not run.
set -uo pipefail
root=$1 bin=$2
work=$(mktemp -d)
cleanup() { kill "${helpers[@]}" 2>/dev/null; rm -rf "$work"; }
helpers=()
trap cleanup EXIT
cd "$work"
export PATH=$bin:$PATH

for _ in 1 2; do
  sh -c 'while :; do cat /proc/self/stat >/dev/null; sleep 0.1; done' &
  helpers+=($!)
done
printf 'all:\n\t@true\n' >Makefile
printf '#!/bin/sh\ncat /etc/hostname >/dev/null\n' >build.sh
cp build.sh app
chmod +x build.sh app
libfoo=$(realpath /lib/x86_64-linux-gnu/libzstd.so.1)
for raw in capture before after; do
  etrace-capture -q -o $raw.raw -- /bin/sh -c 'ls /etc >/dev/null; cat /nonexistent 2>/dev/null; exit 0' ||
    { echo "readme_examples: cannot make $raw.raw" >&2; exit 1; }
done
etrace-capture -q --rotate-size 64K -o big.raw -- /bin/sh -c 'for i in 1 2 3; do ls -R /usr/include >/dev/null; done' ||
  { echo "readme_examples: cannot make big.raw" >&2; exit 1; }

ran=0 failed=0
while IFS= read -r line; do
  example=${line%% # *}  # the comment
  example=$(sed 's/[[:space:]]*$//' <<<"$example")
  case $example in
    sudo\ * | scripts/*) echo "not run (changes the machine, or is the build): $example"; continue ;;
    etrace-capture* | etrace-decode*) ;;
    *) continue ;;
  esac
  cmd=${example//1234/${helpers[0]}}
  cmd=${cmd//5678/${helpers[1]}}
  cmd=${cmd//\/opt\/app\/libfoo.so/$libfoo}
  # Until Ctrl-C: no command after --, no --duration, nothing that ends by itself.
  if [[ $cmd == etrace-capture* && $cmd != *" -- "* && $cmd != *--duration* && $cmd != *--check* &&
        $cmd != *--list-libs* ]]; then
    cmd+=" --duration 1s"
  fi
  ran=$((ran + 1))
  if out=$(timeout 120 bash -c "$cmd" 2>&1 </dev/null); then
    echo "ok: $cmd"
  else
    status=$?
    failed=$((failed + 1))
    echo "FAILED (exit $status): $cmd"
    tail -5 <<<"$out" | sed 's/^/    /'
  fi
done < <(awk '/^```sh/{f=1;next}/^```/{f=0}f' "$root/README.md")

echo "readme_examples: $ran examples run, $failed failed"
[[ $ran -gt 20 && $failed -eq 0 ]]
