#!/usr/bin/env bash
# The Debian package scripts/package.sh builds from this build tree: its
# fields and files are right, and the programs it holds, unpacked into an
# empty root, run: --version, and as root a real capture decoded.
set -euo pipefail
root=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "package_test: $*" >&2; exit 1; }

deb=$("$root/scripts/package.sh" "$build" "$work")
[[ -f $deb ]] || fail "no package written"
[[ $(basename "$deb") =~ ^etrace_[0-9.]+_[a-z0-9]+\.deb$ ]] || fail "named $(basename "$deb")"
fields=$(dpkg-deb -f "$deb" Package Version Depends)
echo "$fields"
for dep in libbpf libzstd libelf; do
  grep -q "$dep" <<<"$fields" || fail "Depends lacks $dep: $fields"
done
# Every dependency is a package this machine's apt knows.
while read -r pkg; do
  apt-cache show "$pkg" >/dev/null 2>&1 || fail "Depends names $pkg, which apt does not know"
done < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*//; s/ //g')

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/etrace-capture ./usr/bin/etrace-decode ./usr/share/man/man1/etrace-capture.1.gz \
         ./usr/share/man/man1/etrace-decode.1.gz ./usr/share/bash-completion/completions/etrace-capture \
         ./usr/share/bash-completion/completions/etrace-decode; do
  grep -q " $f\( \|$\)" <<<"$contents" || fail "the package lacks $f"
done

dpkg-deb -x "$deb" "$work/root"
bin=$work/root/usr/bin
"$bin/etrace-capture" --version | grep -q "^etrace-capture " || fail "etrace-capture --version"
"$bin/etrace-decode" --version | grep -q "^etrace-decode " || fail "etrace-decode --version"
# The man pages are well-formed roff: man renders them without a warning.
for page in "$work"/root/usr/share/man/man1/*.gz; do
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null || true)
  [[ -z $warnings ]] || fail "$(basename "$page"): $warnings"
done
# The completion script defines both completions in bash.
bash -c "source /usr/share/bash-completion/bash_completion 2>/dev/null; source '$work/root/usr/share/bash-completion/completions/etrace-capture'; complete -p etrace-capture etrace-decode" >/dev/null ||
  fail "the bash completion does not load"

if [[ $(id -u) -eq 0 ]]; then
  "$bin/etrace-capture" -q -o "$work/true.etrace" -- /bin/true || fail "the packaged etrace-capture cannot capture"
  "$bin/etrace-decode" "$work/true.etrace" | grep -q '^execve("/bin/true"' || fail "the packaged etrace-decode shows no execve"
fi
echo "package_test: $(basename "$deb") is whole and runs"
