#include "capture/btf_subset.h"

#include <bpf/btf.h>
#include <linux/btf.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

namespace etrace::capture {
namespace {

class Subset {
 public:
  Subset(const struct btf* src, struct btf* dst) : src_(src), dst_(dst) {}

  // The id of `id`'s copy in the subset, copying it (and what it holds by
  // value, first) on first use; < 0 on a libbpf error.
  int copy(uint32_t id) {
    if (id == 0) return 0;
    if (auto it = ids_.find(id); it != ids_.end()) return static_cast<int>(it->second);
    const struct btf_type* t = btf__type_by_id(src_, id);
    if (!t) return -EINVAL;
    int new_id;
    if (btf_is_ptr(t)) {
      new_id = btf__add_ptr(dst_, 0);
    } else {
      // References first: types are only ever held by value in a tree, so
      // this ends, and the copy below can be patched with final ids.
      std::vector<int> refs;
      for (uint32_t ref : references(t)) {
        const int r = copy(ref);
        if (r < 0) return r;
        refs.push_back(r);
      }
      new_id = btf__add_type(dst_, src_, t);
      if (new_id < 0) return new_id;
      patch(new_id, refs);
    }
    if (new_id >= 0) ids_[id] = static_cast<uint32_t>(new_id);
    return new_id;
  }

 private:
  // The ids `t` refers to, in the order patch() writes them back.
  static std::vector<uint32_t> references(const struct btf_type* t) {
    std::vector<uint32_t> out;
    switch (btf_kind(t)) {
      case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPE_TAG:
        out.push_back(t->type);
        break;
      case BTF_KIND_ARRAY:
        out.push_back(btf_array(t)->type);
        out.push_back(btf_array(t)->index_type);
        break;
      case BTF_KIND_STRUCT: case BTF_KIND_UNION: {
        const struct btf_member* m = btf_members(t);
        for (uint16_t i = 0; i < btf_vlen(t); ++i) out.push_back(m[i].type);
        break;
      }
      default:
        break;  // ints, enums, floats, forward declarations refer to nothing
    }
    return out;
  }

  void patch(int new_id, const std::vector<int>& refs) {
    // btf__add_type copied the source's ids verbatim; the copy is ours to fix.
    auto* t = const_cast<struct btf_type*>(btf__type_by_id(dst_, static_cast<uint32_t>(new_id)));
    size_t i = 0;
    switch (btf_kind(t)) {
      case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPE_TAG:
        t->type = static_cast<uint32_t>(refs[i++]);
        break;
      case BTF_KIND_ARRAY:
        btf_array(t)->type = static_cast<uint32_t>(refs[i++]);
        btf_array(t)->index_type = static_cast<uint32_t>(refs[i++]);
        break;
      case BTF_KIND_STRUCT: case BTF_KIND_UNION: {
        struct btf_member* m = btf_members(t);
        for (uint16_t k = 0; k < btf_vlen(t); ++k) m[k].type = static_cast<uint32_t>(refs[i++]);
        break;
      }
      default:
        break;
    }
  }

  const struct btf* src_;
  struct btf* dst_;
  std::map<uint32_t, uint32_t> ids_;
};

}  // namespace

Result<std::vector<uint8_t>> btf_subset(const struct btf* kernel, format::CopyPlans& plans) {
  std::unique_ptr<struct btf, void (*)(struct btf*)> dst(btf__new_empty(), btf__free);
  if (!dst) return Error{std::string("cannot build the capture's BTF: ") + std::strerror(errno)};
  Subset subset(kernel, dst.get());
  std::vector<std::vector<format::CopyOp>*> all_ops;
  for (auto& [nr, ops] : plans.syscalls) all_ops.push_back(&ops);
  for (auto& [nr, commands] : plans.commands)
    for (auto& [value, ops] : commands.plans) all_ops.push_back(&ops);
  for (auto* ops : all_ops)
    for (auto& op : *ops) {
      if (!op.btf_id) continue;
      const int id = subset.copy(op.btf_id);
      if (id < 0) return Error{"cannot copy BTF type '" + op.type + "' into the capture: " + std::strerror(-id)};
      op.btf_id = static_cast<uint32_t>(id);
    }
  uint32_t size = 0;
  const auto* raw = static_cast<const uint8_t*>(btf__raw_data(dst.get(), &size));
  if (!raw) return Error{std::string("cannot serialize the capture's BTF: ") + std::strerror(errno)};
  return std::vector<uint8_t>(raw, raw + size);
}

}  // namespace etrace::capture
