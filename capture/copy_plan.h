// Copy plans: for each syscall, and each command of a multiplexed syscall,
// what BPF copies from the traced process's memory, derived from the
// semantics and command tables (catalog/syscall_semantics.h,
// catalog/syscall_commands.h) and the sizes of kernel types in BTF. The
// same plans go into the capture file so the decoder knows what each
// payload item holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/lib_prototypes.h"
#include "format/metadata.h"

struct btf;
struct etrace_syscall_config;

namespace etrace::capture {

struct CopyCaps {
  uint32_t bytes = 256;    // --bytes: per buffer
  uint32_t string = 4096;  // --string-limit: per string or path
};

// `btf` may be null: structs are then not copied (their arguments show as
// addresses) and `problems` says so once.
format::CopyPlans derive_copy_plans(const format::SyscallTable& table, const struct btf* btf, CopyCaps caps,
                                    std::vector<std::string>& problems);

// The kernel's form of one syscall's plan (flags are left to the caller),
// or of one command's (map command_config).
void fill_kernel_plan(const std::vector<format::CopyOp>& ops, etrace_syscall_config& cfg);

// Marks a multiplexed syscall's config: where its command is read, and
// that its commands' plans may copy at enter or at exit.
void fill_command_selector(const format::CommandPlans& commands, etrace_syscall_config& cfg);

// A library function's plan, from its prototype: strings and buffers it
// reads are copied at entry, those it writes and a returned string at return.
std::vector<format::CopyOp> library_copy_ops(const catalog::LibPrototype& proto);

// The kernel's configuration of one traced library function (map lib_config).
etrace_syscall_config library_kernel_config(const format::LibraryFunction& function);

}  // namespace etrace::capture
