// A network namespace of the suite's own, where the network programs run:
// their dumps then list the same links, addresses, routes and sockets in
// strace's run and in etrace's, whatever else the machine does. It holds
// lo, a veth pair with documentation addresses (198.51.100.0/24, IPv6 off
// so nothing is ever sent on it), a TCP listener and a UDP socket on
// 127.0.0.1, and an HTTP server on 127.0.0.1:8000 that answers every
// request with the same short text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/live/live_support.h"

namespace etrace::conformance {

class NetworkNamespace {
 public:
  // Empty with the reason in `error` when it cannot be made. `work` is a
  // directory that outlives it (the server's files and outputs).
  static std::optional<NetworkNamespace> create(const std::string& work, std::string& error);
  NetworkNamespace(NetworkNamespace&& other) noexcept;
  NetworkNamespace& operator=(NetworkNamespace&&) = delete;
  ~NetworkNamespace();

  // `argv` run inside the namespace (nsenter joins only its network: the
  // mounts, tracefs among them, stay the machine's).
  std::vector<std::string> inside(const std::vector<std::string>& argv) const;
  // What a client asks the server for.
  static constexpr const char* kUrl = "http://127.0.0.1:8000/hello.txt";

 private:
  NetworkNamespace() = default;

  std::string name_;
  std::string work_;
  std::vector<int> sockets_;
  std::optional<live::Background> server_;
};

}  // namespace etrace::conformance
