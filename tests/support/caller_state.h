// What a caller of etrace-capture may hand it, for the tests that check the
// traced command gets the same (issue 14, item 4), unit and live alike.
#pragma once

#include <string>

namespace etrace::test {

// Puts this process in the state a caller might give a command: SIGPIPE
// and SIGHUP ignored (trap '' PIPE HUP), SIGUSR1 and SIGTERM blocked, a soft limit of
// 200 descriptors, umask 027, no_new_privs. For a child about to exec.
void give_caller_state();

// The lines of a command's /proc/self/status that it inherits (signal
// dispositions and mask, capabilities, no_new_privs, seccomp, umask), then
// its whole /proc/self/limits, from the two files' text one after the other.
std::string inherited_view(const std::string& status_then_limits);

}  // namespace etrace::test
