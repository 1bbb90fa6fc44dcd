// Finding (or mounting) tracefs and reading tracepoint format files.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"

namespace etrace::capture {

class Tracefs {
 public:
  // Finds tracefs, mounting it at /sys/kernel/tracing when nothing is
  // mounted, or says why it cannot.
  static Result<Tracefs> open();

  // The verbatim format file of events/<system>/<event>, or nullopt.
  std::optional<std::string> format(const std::string& system, const std::string& event) const;

  const std::string& root() const { return root_; }

 private:
  explicit Tracefs(std::string root) : root_(std::move(root)) {}
  std::string root_;
};

}  // namespace etrace::capture
