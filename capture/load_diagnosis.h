// Why the kernel refused the BPF object, in one sentence: the program or
// map it refused, the verifier's own last words, and what kind of refusal
// that is (the instruction limit, a missing helper or kfunc, a map type).
// It never guesses: a refusal it cannot classify is quoted as it is.
#pragma once

#include <memory>
#include <string>
#include <vector>

struct bpf_object;

namespace etrace::capture {

// Collects libbpf's messages while it lives (and echoes them to standard
// error when `echo`, for -v), then restores the previous printer.
class LibbpfMessages {
 public:
  explicit LibbpfMessages(bool echo);
  ~LibbpfMessages();
  LibbpfMessages(const LibbpfMessages&) = delete;
  LibbpfMessages& operator=(const LibbpfMessages&) = delete;

  const std::string& text() const;
};

// Gives every program of `obj` a log buffer of its own, which the kernel
// fills only when a load fails (libbpf then loads it again with logging)
// or when `log_level` asks for more (4: the verifier's statistics).
class ProgramLogs {
 public:
  ProgramLogs(struct bpf_object* obj, unsigned log_level);
  // The verifier's log of program `name` ("" when none).
  std::string of(const std::string& name) const;
  // The type of map `name` of the object, as libbpf names it.
  std::string map_type(const std::string& name) const;

 private:
  using Buffer = std::unique_ptr<char, void (*)(void*)>;
  struct Log {
    std::string program;
    Buffer text;
  };
  struct bpf_object* obj_;
  std::vector<Log> logs_;
};

// The sentence for a failed load: `err` is what the load returned,
// `messages` libbpf's account, `logs` the programs' verifier logs.
std::string explain_load_failure(int err, const std::string& messages, const ProgramLogs& logs);

// Its parts: the program or map libbpf names as refused ("" when none),
// and the sentence from the refused program's verifier log (or the
// refused map's type).
std::string refused_program(const std::string& messages);
std::string refused_map(const std::string& messages);
std::string describe_refusal(int err, const std::string& messages, const std::string& program_log,
                             const std::string& map_type);

// From a verifier log with statistics (log level 4): the instructions the
// verifier processed and how long it took (microseconds); -1 where absent.
struct VerifierStats {
  long long insns = -1;
  long long usec = -1;
};
VerifierStats verifier_stats(const std::string& log);

}  // namespace etrace::capture
