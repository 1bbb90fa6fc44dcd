#include "catalog/container_id.h"

#include <cctype>

#include <array>

namespace etrace::catalog {
namespace {

constexpr size_t kIdLength = 64;
constexpr size_t kMinPrefix = 12;

bool all_hex(std::string_view s, bool lower_only) {
  for (char c : s) {
    const bool digit = c >= '0' && c <= '9';
    const bool lower = c >= 'a' && c <= 'f';
    const bool upper = c >= 'A' && c <= 'F';
    if (!digit && !lower && !(upper && !lower_only)) return false;
  }
  return true;
}

bool is_id(std::string_view s) { return s.size() == kIdLength && all_hex(s, true); }

}  // namespace

std::optional<std::string> container_id_in_name(std::string_view name) {
  if (is_id(name)) return std::string(name);
  static constexpr std::array<std::string_view, 4> kScopes = {"docker-", "cri-containerd-", "crio-", "libpod-"};
  constexpr std::string_view kSuffix = ".scope";
  if (name.size() <= kSuffix.size() || name.substr(name.size() - kSuffix.size()) != kSuffix) return std::nullopt;
  name.remove_suffix(kSuffix.size());
  for (std::string_view prefix : kScopes)
    if (name.substr(0, prefix.size()) == prefix && is_id(name.substr(prefix.size())))
      return std::string(name.substr(prefix.size()));
  return std::nullopt;
}

std::optional<std::string> container_id_of(std::string_view path) {
  std::optional<std::string> id;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    if (auto here = container_id_in_name(path.substr(0, slash))) id = here;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return id;
}

std::optional<std::string> container_id_prefix(std::string_view text) {
  if (text.size() < kMinPrefix || text.size() > kIdLength || !all_hex(text, false)) return std::nullopt;
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace etrace::catalog
