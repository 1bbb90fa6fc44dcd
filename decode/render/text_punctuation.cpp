#include "decode/render/text_punctuation.h"

namespace etrace::decode {

TextComposite::TextComposite(std::string& out, Kind kind) : out_(out), kind_(kind) {
  out_ += static_cast<char>(kind_);
}

void TextComposite::next(std::string_view name) {
  if (!first_) out_ += ", ";
  first_ = false;
  if (!name.empty()) {
    out_ += name;
    out_ += '=';
  }
}

void TextComposite::elided() {
  next();
  out_ += "...";
}

void TextComposite::close() {
  switch (kind_) {
    case Kind::kArguments: out_ += ')'; break;
    case Kind::kStruct: out_ += '}'; break;
    case Kind::kArray: out_ += ']'; break;
  }
}

}  // namespace etrace::decode
