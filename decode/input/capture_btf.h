// Which BTF describes a capture's structs: the one given with --btf; else
// the one the capture carries; else this machine's, when it runs the very
// kernel the capture was made on. Outside BTF has its own type ids, so the
// copy plans' ids are looked up again by type name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "decode/input/capture_file.h"
#include "decode/values/btf_types.h"
#include "format/metadata.h"

namespace etrace::decode {

// nullopt when the capture needs no BTF (it copied no structs); an Error
// when it needs one and none fits. Copy ops naming a type the BTF does not
// have lose their type id (their arguments are shown as addresses), and
// `problems` gets a sentence saying so.
Result<std::optional<BtfTypes>> btf_for_capture(const CaptureFile& capture, const std::string& btf_path,
                                                format::CopyPlans& plans, std::vector<std::string>& problems);

}  // namespace etrace::decode
