#include "decode/descriptors/descriptor_text.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/netlink.h>

#include <cstring>

#include "decode/values/xlat/xlat.h"

namespace etrace::decode {
namespace {

std::string inode_text(const OpenFile& file) { return file.inode ? std::to_string(*file.inode) : "?"; }

template <typename T>
bool load(std::string_view bytes, T& out) {
  if (bytes.size() < sizeof(T)) return false;
  std::memcpy(&out, bytes.data(), sizeof(T));
  return true;
}

std::string socket_text(const OpenFile& file, bool addresses) {
  if (!addresses || file.protocol.empty()) return "socket:[" + inode_text(file) + "]";
  std::string inside;
  if (file.local.empty() && file.peer.empty())
    inside = inode_text(file);
  else if (file.peer.empty())
    inside = file.local;
  else  // the local end of a connected socket is unknown until getsockname or bind
    inside = (file.local.empty() ? "?" : file.local) + "->" + file.peer;
  return file.protocol + ":[" + inside + "]";
}

}  // namespace

std::string descriptor_text(const OpenFile& file, bool addresses) {
  switch (file.kind) {
    case OpenFile::Kind::kPipe: return "pipe:[" + inode_text(file) + "]";
    case OpenFile::Kind::kSocket: return socket_text(file, addresses);
    case OpenFile::Kind::kPath:
    case OpenFile::Kind::kOther: break;
  }
  return file.name;
}

std::string socket_protocol(int64_t domain, int64_t type, int64_t protocol) {
  const int64_t base = type & 0xf;  // without SOCK_NONBLOCK, SOCK_CLOEXEC
  switch (domain) {
    case AF_UNIX:
      if (base == SOCK_STREAM) return "UNIX-STREAM";
      if (base == SOCK_DGRAM) return "UNIX-DGRAM";
      if (base == SOCK_SEQPACKET) return "UNIX-SEQPACKET";
      return "UNIX";
    case AF_INET:
    case AF_INET6: {
      const std::string v6 = domain == AF_INET6 ? "v6" : "";
      if (base == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP)) return "TCP" + v6;
      if (base == SOCK_DGRAM && (protocol == 0 || protocol == IPPROTO_UDP)) return "UDP" + v6;
      if (base == SOCK_DGRAM && protocol == IPPROTO_UDPLITE) return "UDPLITE" + v6;
      if (base == SOCK_RAW) return "RAW" + v6;
      return "";
    }
    case AF_NETLINK: return "NETLINK";
    default: return "";
  }
}

std::string netlink_endpoint_text(int protocol, std::string_view sockaddr) {
  sockaddr_nl nl;
  if (!load(sockaddr, nl) || nl.nl_family != AF_NETLINK || nl.nl_pid == 0) return "";
  std::string name = xlat::enum_text("netlink_protocol", protocol);
  constexpr std::string_view kPrefix = "NETLINK_";
  if (name.starts_with(kPrefix)) name.erase(0, kPrefix.size());
  return name + ":" + std::to_string(nl.nl_pid);
}

std::string endpoint_text(std::string_view sockaddr) {
  sa_family_t family;
  if (!load(sockaddr, family)) return "";
  char text[INET6_ADDRSTRLEN];
  if (sockaddr_in in; family == AF_INET && load(sockaddr, in)) {
    if (!inet_ntop(AF_INET, &in.sin_addr, text, sizeof text)) return "";
    return std::string(text) + ":" + std::to_string(ntohs(in.sin_port));
  }
  // sin6_scope_id may be left out: 24 bytes hold the address and port.
  if (family == AF_INET6 && sockaddr.size() >= offsetof(sockaddr_in6, sin6_scope_id)) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, sockaddr.data(), offsetof(sockaddr_in6, sin6_scope_id));
    if (!inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text)) return "";
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(in6.sin6_port));
  }
  if (family == AF_UNIX && sockaddr.size() > offsetof(sockaddr_un, sun_path)) {
    std::string_view path = sockaddr.substr(offsetof(sockaddr_un, sun_path));
    if (path.front() == '\0') return "@" + std::string(path.substr(1));  // abstract: no NUL ends it
    return std::string(path.substr(0, path.find('\0')));
  }
  return "";
}

}  // namespace etrace::decode
