// etrace-decode --info: what a capture file holds, without decoding a call
// (as capinfos and perf report --header): who wrote it where, when, what
// was asked for, its records by type, frames and bytes, losses, and whether
// it ended cleanly.
#pragma once

#include <istream>
#include <ostream>
#include <string>

namespace etrace::decode {

// Reads the whole file; prints text, or one JSON object with `json`. The
// exit status: 0, or 1 when the file is not a capture or is corrupt (a
// truncated file is summed up as far as it goes, and said to be).
int print_capture_summary(std::istream& in, const std::string& name, bool json, std::ostream& out);

}  // namespace etrace::decode
