#!/usr/bin/env bash
# Builds a Debian package of etrace: etrace_VERSION_ARCH.deb, holding the
# two programs (the BPF objects are inside etrace-capture), their man pages
# and bash completion, with Depends worked out from the libraries the
# programs link (libbpf, libzstd, libelf, ...), as installed here.
#
# Usage: scripts/package.sh [BUILD_DIR [OUT_DIR]]
#   BUILD_DIR  a configured build tree (default: build-package, configured and
#              built here as Release without tests)
#   OUT_DIR    where the .deb goes (default: the current directory)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build-package}
out=$(realpath "${2:-.}")

if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DETRACE_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j "${ETRACE_JOBS:-$(nproc)}" --target etrace-capture etrace-decode >/dev/null

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
DESTDIR=$stage cmake --install "$build" --prefix /usr >/dev/null
gzip -9n "$stage"/usr/share/man/man1/*.1

version=$(sed -n 's/^project(etrace VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
arch=$(dpkg --print-architecture)

# Depends: the package of each shared library the programs load, at least
# the version installed here.
depends=()
while read -r lib; do
  # dpkg may know the file by its path before /usr was merged (/lib/...).
  pkg=$( (dpkg -S "$lib" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null) | head -1 | cut -d: -f1) || true
  [[ -z $pkg ]] && { echo "package.sh: no package holds $lib" >&2; exit 1; }
  ver=$(dpkg-query -W -f='${Version}' "$pkg")
  depends+=("$pkg (>= ${ver%%-*})")
done < <(ldd "$stage/usr/bin/etrace-capture" "$stage/usr/bin/etrace-decode" |
         awk '$3 ~ /^\// { print $3 }' | xargs -r realpath | sort -u)
depends_line=$(printf '%s\n' "${depends[@]}" | sort -u | paste -sd, | sed 's/,/, /g')

mkdir -p "$stage/DEBIAN"
cat >"$stage/DEBIAN/control" <<CONTROL
Package: etrace
Version: $version
Architecture: $arch
Maintainer: etrace developers <etrace@localhost>
Depends: $depends_line
Section: utils
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Description: record-then-decode syscall and library-call tracer built on eBPF
 etrace-capture records system calls (and library calls) with eBPF into a
 compressed capture file, filtering in the kernel and counting every event
 it loses; etrace-decode turns the file into strace-like text, JSON Lines,
 statistics or a timeline, anywhere, without root.
CONTROL

deb=$out/etrace_${version}_${arch}.deb
dpkg-deb --root-owner-group --build "$stage" "$deb" >/dev/null
echo "$deb"
