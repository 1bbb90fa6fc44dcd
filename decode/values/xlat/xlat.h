// Symbolic constants as strace prints them, from tables generated at build
// time out of the Linux UAPI headers (linux-libc-dev) wherever they define
// the constants. A "set" is named as in format/syscall_semantics_table.cpp
// (flags:open, enum:whence...) and in struct views.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace etrace::decode::xlat {

// True when `set` names a known flag or enum set.
bool has_set(std::string_view set);

// Bit flags: "O_RDONLY|O_CLOEXEC", "PROT_READ|PROT_WRITE", "0" when none;
// bits without a name are appended in hex ("MAP_PRIVATE|0x40000000").
// Sets with a value field inside (open's access mode, clone's exit signal,
// socket type's base type) are spelled as strace does.
std::string flags_text(std::string_view set, uint64_t value);

// One value: "SEEK_SET", "FUTEX_WAIT_PRIVATE", "AF_INET"; a value without a
// name is written as strace does for that set (decimal, or hex).
std::string enum_text(std::string_view set, int64_t value);

// Permission bits in octal, "0644"; with the file type, "S_IFREG|0644".
std::string mode_text(uint64_t mode);
std::string file_mode_text(uint64_t mode);

// A socket option by its level's own table: SO_* at SOL_SOCKET, IP_*,
// IPV6_*, TCP_*, UDP_*, NETLINK_* and PACKET_* at theirs; other levels in
// decimal.
std::string sockopt_text(int level, int64_t optname);

// socket(2)'s protocol as strace names it for the family: IPPROTO_TCP,
// NETLINK_ROUTE, htons(ETH_P_ALL); a number for other families.
std::string socket_protocol_text(int64_t family, int64_t protocol);

// "SIGINT"; the kernel's realtime signals as strace 6 names them, "SIGRTMIN"
// (32), "SIGRT_3" (35); a number without a name in decimal.
std::string signal_text(int64_t signo);

// A sigset_t given as its bytes: "[INT TERM]", "~[RTMIN RT_1]" when most
// bits are set, "[]" when none.
std::string sigset_text(std::string_view bytes);

// wait(2) status: "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]".
std::string wait_status_text(int32_t status);

// Device numbers as strace writes them: "makedev(0x8, 0x1)".
std::string dev_text(uint64_t dev);

}  // namespace etrace::decode::xlat
