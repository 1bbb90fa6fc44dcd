// Signal numbers as names ("SIGKILL"), from the C library's own table.
#pragma once

#include <string>

namespace etrace::decode {

std::string signal_name(int sig);

}  // namespace etrace::decode
