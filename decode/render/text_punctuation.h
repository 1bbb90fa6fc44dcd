// The punctuation of strace's notation in one place, so code that prints
// values never writes a comma or a brace itself: "(a, b", "{a=1, b=2, ...}",
// "[1, 2, ...]".
#pragma once

#include <string>
#include <string_view>

namespace etrace::decode {

class TextComposite {
 public:
  enum class Kind : char {
    kArguments = '(',
    kStruct = '{',
    kArray = '[',
  };

  // Writes the opening bracket.
  TextComposite(std::string& out, Kind kind);

  // Before each member: ", " after the first, then "name=" when named.
  void next(std::string_view name = {});
  // Members were left out: "..." as one more member.
  void elided();
  // Writes the closing bracket. A call's argument list is left open while
  // strace would show it unfinished.
  void close();

 private:
  std::string& out_;
  Kind kind_;
  bool first_ = true;
};

}  // namespace etrace::decode
