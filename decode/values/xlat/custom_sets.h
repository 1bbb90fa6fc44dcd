// The sets whose numbers hold a field beside their flags (open's access
// mode, clone's exit signal, mmap's type and huge page size...) are printed
// by hand, each beside its family (file_sets.cpp, process_sets.cpp...).
// Every other set is printed from its generated table, as flags or as one
// value, as its list (*.in) declares.
#pragma once

#include <cstdint>
#include <string>

namespace etrace::decode::xlat {

std::string ioctl_text(int64_t value);     // event_sets.cpp
std::string open_text(int64_t value);      // file_sets.cpp
std::string fd_open_text(int64_t value);   //
std::string statx_at_text(int64_t value);  //
std::string mount_text(int64_t value);     //
std::string map_text(int64_t value);       // memory_sets.cpp
std::string clone_text(int64_t value);     // process_sets.cpp
std::string futex_op_text(int64_t value);  //
std::string socktype_text(int64_t value);  // socket_sets.cpp
std::string futex_wake_op_text(int64_t value);  // command_sets.cpp
std::string futex_bitset_text(int64_t value);   //
std::string key_serial_text(int64_t value);     //
std::string key_perm_text(int64_t value);       //
std::string qcmd_text(int64_t value);           //
std::string ptrace_user_text(int64_t value);    //
std::string suid_dump_text(int64_t value);      //

}  // namespace etrace::decode::xlat
