// The context record's bytes (struct etrace_context in records.h and its
// payload items) for a ContextFacts, and the cgroup path helpers both tools
// use.
#pragma once

#include <linux/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/context_facts.h"
#include "format/records.h"

namespace etrace::format {

static_assert(kNamespaceCount == ETRACE_NS_COUNT, "ContextFacts::ns holds every namespace a record carries");

// The bytes of a context record: the fixed part, then the exe item (when
// known) and the cgroup path's components, leaf first.
std::vector<uint8_t> encode_context_record(const ContextFacts& facts, uint64_t ts_ns, uint16_t cpu);

// "/a/b" from components leaf first ({"b", "a"}); "/" for none.
std::string cgroup_path_of(const std::vector<std::string>& leaf_first);

// "/a/b" for any spelling of that path ("a/b/", "//a/./b"); "/" for none.
std::string normalized_path(std::string_view path);

// Whether cgroup path `path` is `cgroup` or below it (both from the root).
bool cgroup_contains(std::string_view cgroup, std::string_view path);

}  // namespace etrace::format
