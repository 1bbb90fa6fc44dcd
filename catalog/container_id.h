// Container ids in cgroup v2 paths, as container runtimes name their
// cgroups: a systemd scope "docker-<id>.scope", "cri-containerd-<id>.scope",
// "crio-<id>.scope", "libpod-<id>.scope", or, with the cgroupfs driver, a
// directory named by the id alone ("/docker/<id>", "/kubepods/.../<id>").
// An id is 64 lowercase hex digits.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace etrace::catalog {

// The id one cgroup directory's name carries.
std::optional<std::string> container_id_in_name(std::string_view name);

// The id of the innermost container a cgroup path is in.
std::optional<std::string> container_id_of(std::string_view cgroup_path);

// What `text` names as a container: 12 to 64 hex digits (a prefix of its
// id), in lowercase as ids are; nullopt when it cannot name one.
std::optional<std::string> container_id_prefix(std::string_view text);

}  // namespace etrace::catalog
