// etrace-decode --files and --conns: the rows of a DescriptorActivity, one
// per file (path, pipe, anonymous inode) or per socket, as a table or as
// JSON Lines (decode/JSON.md, decode/schema/views.schema.json). Written
// when the capture ends; the decoded events themselves are not shown.
#pragma once

#include <ostream>

#include "decode/render/output.h"
#include "decode/views/descriptor_activity.h"

namespace etrace::decode {

struct DescriptorReportOptions {
  bool files = false;  // --files
  bool conns = false;  // --conns
  bool json = false;
};

class DescriptorReport : public Output {
 public:
  DescriptorReport(std::ostream& out, DescriptorReportOptions options, SyscallCatalog& catalog,
                   int64_t realtime_offset_ns)
      : out_(out), options_(options), activity_(catalog, realtime_offset_ns) {}

  // What the pipeline feeds (Pipeline::follow_descriptors).
  DescriptorActivity& activity() { return activity_; }

  void call(const DecodedCall&) override {}
  void process(const DecodedProcessEvent&) override {}
  void loss(const DecodedLoss&) override {}
  void signal(const DecodedSignal&) override {}
  void finish() override;

 private:
  std::ostream& out_;
  const DescriptorReportOptions options_;
  DescriptorActivity activity_;
};

}  // namespace etrace::decode
