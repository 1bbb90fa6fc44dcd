#include "tests/conformance/network_namespace.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

namespace etrace::conformance {
namespace {

const std::string kIp = "/usr/sbin/ip";

// An HTTP server whose every answer is the same bytes in one write (no
// date, no split between headers and body), so that a client reads the same
// in every run.
constexpr const char* kServer = R"(
import socket
body = b"hello from the conformance suite\n"
answer = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 8000))
server.listen(8)
while True:
    client, _ = server.accept()
    try:
        if client.recv(65536):
            client.sendall(answer)
    except OSError:
        pass
    client.close()
)";
const std::string kNsenter = "/usr/bin/nsenter";

sockaddr_in loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A socket made in namespace `name` (a socket stays in the namespace it was
// made in): this thread joins it for the call and returns to its own.
int socket_in(const std::string& name, int type, std::string& error) {
  const int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  const int target = open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
  int fd = -1;
  if (own >= 0 && target >= 0 && setns(target, CLONE_NEWNET) == 0) {
    fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (setns(own, CLONE_NEWNET) != 0) error = "cannot return to the test's network namespace";
  }
  if (fd < 0 && error.empty()) error = "cannot make a socket in " + name + ": " + std::strerror(errno);
  if (own >= 0) close(own);
  if (target >= 0) close(target);
  return fd;
}

}  // namespace

std::optional<NetworkNamespace> NetworkNamespace::create(const std::string& work, std::string& error) {
  if (!std::filesystem::exists(kIp) || !std::filesystem::exists(kNsenter)) {
    error = kIp + " and " + kNsenter + " are needed";
    return std::nullopt;
  }
  NetworkNamespace ns;
  ns.work_ = work;
  const std::string name = "etrace-conformance-" + std::to_string(getpid());
  const std::vector<std::vector<std::string>> steps = {
      {kIp, "netns", "add", name},
      {kIp, "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1"},
      {kIp, "-n", name, "link", "set", "lo", "up"},
      {kIp, "-n", name, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1"},
      {kIp, "-n", name, "addr", "add", "198.51.100.1/24", "dev", "veth0"},
      {kIp, "-n", name, "addr", "add", "198.51.100.2/24", "dev", "veth1"},
      {kIp, "-n", name, "link", "set", "veth0", "up"},
      {kIp, "-n", name, "link", "set", "veth1", "up"},
  };
  for (const auto& step : steps) {
    live::Outcome o = live::run(step, work);
    if (o.status != 0) {
      error = step[1] + " " + step[2] + " ... failed: " + o.describe();
      return std::nullopt;
    }
    ns.name_ = name;  // made: the destructor removes it
  }

  int tcp = socket_in(name, SOCK_STREAM, error);
  if (tcp < 0) return std::nullopt;
  ns.sockets_.push_back(tcp);
  const sockaddr_in listen_at = loopback(8080);
  int udp = socket_in(name, SOCK_DGRAM, error);
  if (udp < 0) return std::nullopt;
  ns.sockets_.push_back(udp);
  const sockaddr_in udp_at = loopback(5353);
  if (bind(tcp, reinterpret_cast<const sockaddr*>(&listen_at), sizeof listen_at) != 0 || listen(tcp, 4) != 0 ||
      bind(udp, reinterpret_cast<const sockaddr*>(&udp_at), sizeof udp_at) != 0) {
    error = std::string("cannot bind the namespace's sockets: ") + std::strerror(errno);
    return std::nullopt;
  }

  auto server = live::Background::launch(ns.inside({"/usr/bin/python3", "-c", kServer}), work, error);
  if (!server) return std::nullopt;
  ns.server_.emplace(std::move(*server));
  // Ready once it accepts a connection. The probe is reset, not closed:
  // a closed one would wait in TIME_WAIT, its timer listed by every dump.
  const sockaddr_in server_at = loopback(8000);
  const linger reset{1, 0};
  for (int tries = 0;; ++tries) {
    int probe = socket_in(name, SOCK_STREAM, error);
    if (probe < 0) return std::nullopt;
    setsockopt(probe, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    const bool up = connect(probe, reinterpret_cast<const sockaddr*>(&server_at), sizeof server_at) == 0;
    close(probe);
    if (up) break;
    if (tries == 200) {
      error = "the HTTP server in " + name + " did not start within 10 s";
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ns;
}

NetworkNamespace::NetworkNamespace(NetworkNamespace&& other) noexcept
    : name_(std::move(other.name_)), work_(std::move(other.work_)), sockets_(std::move(other.sockets_)) {
  if (other.server_) server_.emplace(std::move(*other.server_));
  other.server_.reset();
  other.name_.clear();
  other.sockets_.clear();
}

NetworkNamespace::~NetworkNamespace() {
  server_.reset();
  for (int fd : sockets_) close(fd);
  if (!name_.empty()) live::run({kIp, "netns", "del", name_}, work_);
}

std::vector<std::string> NetworkNamespace::inside(const std::vector<std::string>& argv) const {
  std::vector<std::string> out{kNsenter, "--net=/run/netns/" + name_};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

}  // namespace etrace::conformance
