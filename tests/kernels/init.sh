#!/bin/sh
# PID 1 of the kernel matrix's initramfs (scripts/test-kernels.sh builds it:
# busybox-static, this file as /init, the kernel's 9p/virtio/overlay modules
# under /modules in load order). POSIX sh for busybox: it runs before the
# host's root, and with it bash, is reachable.
#
# It loads the modules, mounts the host's root (9p tag "root", read-only)
# with writable tmpfs and overlays where programs expect to write, mounts
# the kernel's pseudo filesystems etrace needs (tracefs, bpffs, cgroup2,
# debugfs), mounts the results share (9p tag "out", writable) at
# /run/etrace-out, and switch_roots into tests/kernels/guest.sh --pid1,
# named by the host in /run/etrace-out/guest.env.
#
# PID 1 must never exit (the kernel panics): any failure powers off, after
# saying why on the console, which the host keeps as the VM's log.

/bin/busybox --install -s /bin
export PATH=/bin

mount -t devtmpfs devtmpfs /dev
# The kernel found no /dev/console in the archive: take the console now.
exec </dev/console >/dev/console 2>&1

say() { echo "etrace-init: $*"; }
die() {
	say "FAILED: $*"
	poweroff -f
	sleep 60
}

mount -t proc proc /proc || die "cannot mount proc"
mount -t sysfs sysfs /sys || die "cannot mount sysfs"

# Load order comes from the host's depmod of this kernel package.
while read -r module; do
	[ -n "$module" ] || continue
	insmod "/modules/$module" || die "insmod $module failed"
done </modules/order

new=/newroot
# cache=loose: the host's root does not change under the VM, and caching its
# pages makes every exec under TCG much cheaper.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 root "$new" ||
	die "cannot mount the host's root over 9p (tag root)"

# /run first: it holds the overlays' upper layers and the results share.
mount -t tmpfs -o mode=0755 tmpfs "$new/run" || die "cannot mount tmpfs on /run"
# Overlays, not empty tmpfs: the host's files there stay visible (a build
# under /tmp, root's home), and what the VM writes stays in the VM.
for dir in tmp var root; do
	layer=$new/run/etrace-layers/$dir
	mkdir -p "$layer/upper" "$layer/work"
	mount -t overlay overlay \
		-o "lowerdir=$new/$dir,upperdir=$layer/upper,workdir=$layer/work" "$new/$dir" ||
		die "cannot mount an overlay on /$dir"
done

mkdir -p "$new/run/etrace-out"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out "$new/run/etrace-out" ||
	die "cannot mount the results share over 9p (tag out)"
[ -r "$new/run/etrace-out/guest.env" ] || die "the host left no guest.env in the results share"
set -a # what guest.env sets reaches guest.sh through switch_root
# shellcheck source=/dev/null
. "$new/run/etrace-out/guest.env"
set +a

mount -t proc proc "$new/proc" || die "cannot mount proc in the new root"
mount -t sysfs sysfs "$new/sys" || die "cannot mount sysfs in the new root"
mount --move /dev "$new/dev" || die "cannot move /dev into the new root"
mkdir -p "$new/dev/pts" "$new/dev/shm" 2>/dev/null
mount -t devpts devpts "$new/dev/pts" || die "cannot mount devpts"
mount -t tmpfs -o mode=1777 tmpfs "$new/dev/shm" || die "cannot mount /dev/shm"
mount -t tracefs tracefs "$new/sys/kernel/tracing" || die "cannot mount tracefs"
mount -t debugfs debugfs "$new/sys/kernel/debug" || die "cannot mount debugfs"
mount -t bpf bpf "$new/sys/fs/bpf" || die "cannot mount bpffs"
mount -t cgroup2 cgroup2 "$new/sys/fs/cgroup" || die "cannot mount cgroup2"
umount /sys /proc

say "root mounted, switching to $ETRACE_GUEST"
# shellcheck disable=SC2093 # reached only when switch_root cannot run
exec switch_root "$new" /bin/bash "$ETRACE_GUEST" --pid1
die "switch_root failed"
