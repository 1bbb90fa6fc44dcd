#!/usr/bin/env bash
# Installs from Debian's packages everything etrace needs to build and test.
# Idempotent: when every package is present it returns without touching apt.
#
#   install-deps.sh            what building and scripts/test.sh need
#   install-deps.sh --kernels  that, and what scripts/test-kernels.sh needs
#                              to boot kernels (qemu, busybox-static, depmod)
set -euo pipefail

packages=(
  clang libclang-rt-14-dev llvm bpftool libbpf-dev libelf-dev zlib1g-dev libzstd-dev
  nlohmann-json3-dev libcli11-dev libgtest-dev cmake make g++ pkg-config
  linux-libc-dev strace git python3
  iproute2 hostname curl
  man-db
  python3-jsonschema  # tests/support/validate_json.py: the live tests check decode's JSON against its schema
)
# The kernel matrix's: kept apart so that a plain build does not pull qemu.
kernel_matrix_packages=(qemu-system-x86 busybox-static kmod)

case ${1:-} in
  "") ;;
  --kernels) packages+=("${kernel_matrix_packages[@]}") ;;
  *)
    echo "install-deps: unknown option $1; the only one is --kernels." >&2
    exit 2
    ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages (${missing[*]}); run this script as root to install them." >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
