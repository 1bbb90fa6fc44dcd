// Netlink in a network namespace of its own (so every dump lists the same
// things in every run): NETLINK_ROUTE brings lo up (a request acked),
// dumps links, addresses and routes, asks for a link that does not exist
// (an error with the kernel's extended ack); NETLINK_SOCK_DIAG dumps the
// TCP sockets, a listener on a fixed port. Requests go by sendto and
// sendmsg, replies come by recvmsg and recvfrom.
#include "program.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>

static unsigned seq = 100;

static int netlink_socket(int protocol) {
  int fd = (int)syscall(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
  REQUIRE(fd >= 0);
  int on = 1;
  REQUIRE(syscall(SYS_setsockopt, fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(on)) == 0);
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  REQUIRE(syscall(SYS_bind, fd, &local, sizeof(local)) == 0);
  socklen_t len = sizeof(local);
  REQUIRE(syscall(SYS_getsockname, fd, &local, &len) == 0);
  return fd;
}

// Reads replies until the dump's NLMSG_DONE or a request's NLMSG_ERROR,
// by recvmsg or recvfrom.
static void read_replies(int fd, int by_recvfrom) {
  static char buf[8192] __attribute__((aligned(4)));
  for (;;) {
    long n;
    if (by_recvfrom) {
      n = syscall(SYS_recvfrom, fd, buf, sizeof(buf), 0, NULL, NULL);
    } else {
      struct sockaddr_nl from;
      struct iovec iov = {buf, sizeof(buf)};
      struct msghdr msg = {.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1};
      n = syscall(SYS_recvmsg, fd, &msg, 0);
    }
    REQUIRE(n > 0);
    for (struct nlmsghdr* h = (struct nlmsghdr*)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n))
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) return;
  }
}

static void send_request(int fd, void* request, size_t len, int by_sendmsg) {
  if (by_sendmsg) {
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    struct iovec iov = {request, len};
    struct msghdr msg = {.msg_name = &kernel, .msg_namelen = sizeof(kernel), .msg_iov = &iov, .msg_iovlen = 1};
    REQUIRE(syscall(SYS_sendmsg, fd, &msg, 0) == (long)len);
  } else {
    REQUIRE(syscall(SYS_sendto, fd, request, len, 0, NULL, 0) == (long)len);
  }
}

struct link_request {
  struct nlmsghdr h;
  struct ifinfomsg ifi;
  struct rtattr ext_mask;
  unsigned mask;
};

static void link_request(int fd, unsigned short type, unsigned short flags, int index, unsigned up) {
  struct link_request r;
  memset(&r, 0, sizeof(r));
  r.h.nlmsg_len = sizeof(r);
  r.h.nlmsg_type = type;
  r.h.nlmsg_flags = flags;
  r.h.nlmsg_seq = ++seq;
  r.ifi.ifi_family = AF_UNSPEC;
  r.ifi.ifi_index = index;
  r.ifi.ifi_flags = up;
  r.ifi.ifi_change = up;
  r.ext_mask.rta_len = RTA_LENGTH(sizeof(r.mask));
  r.ext_mask.rta_type = IFLA_EXT_MASK;
  r.mask = RTEXT_FILTER_VF;
  send_request(fd, &r, sizeof(r), type == RTM_NEWLINK);
  read_replies(fd, 0);
}

static void route_dumps(void) {
  int fd = netlink_socket(NETLINK_ROUTE);
  // lo comes up: a request the kernel acknowledges.
  link_request(fd, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 1, IFF_UP);
  link_request(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0, 0);
  // No such interface: an error, and the extended ack says why when it can.
  link_request(fd, RTM_GETLINK, NLM_F_REQUEST, 999, 0);

  struct {
    struct nlmsghdr h;
    struct ifaddrmsg ifa;
  } addr = {.h = {.nlmsg_len = sizeof(addr), .nlmsg_type = RTM_GETADDR, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                  .nlmsg_seq = ++seq},
            .ifa = {.ifa_family = AF_UNSPEC}};
  send_request(fd, &addr, sizeof(addr), 0);
  read_replies(fd, 1);

  struct {
    struct nlmsghdr h;
    struct rtmsg rt;
  } route = {.h = {.nlmsg_len = sizeof(route), .nlmsg_type = RTM_GETROUTE, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                   .nlmsg_seq = ++seq},
             .rt = {.rtm_family = AF_INET}};
  send_request(fd, &route, sizeof(route), 1);
  read_replies(fd, 0);
  syscall(SYS_close, fd);
}

static void socket_dump(void) {
  int listener = (int)syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(listener >= 0);
  // A fixed port: the namespace is this program's alone.
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(8081), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  REQUIRE(syscall(SYS_bind, listener, &addr, sizeof(addr)) == 0);
  REQUIRE(syscall(SYS_listen, listener, 4) == 0);

  int fd = netlink_socket(NETLINK_SOCK_DIAG);
  struct {
    struct nlmsghdr h;
    struct inet_diag_req_v2 req;
  } dump = {.h = {.nlmsg_len = sizeof(dump), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
                  .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = ++seq},
            .req = {.sdiag_family = AF_INET, .sdiag_protocol = IPPROTO_TCP, .idiag_states = ~0u}};
  send_request(fd, &dump, sizeof(dump), 1);
  read_replies(fd, 0);
  syscall(SYS_close, fd);
  syscall(SYS_close, listener);
}

int main(void) {
  route_dumps();
  socket_dump();
  return 0;
}
