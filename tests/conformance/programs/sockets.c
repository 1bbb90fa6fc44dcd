// Sockets over loopback: TCP and UDP on 127.0.0.1, TCP on ::1, an AF_UNIX
// socketpair and a named AF_UNIX socket in the scratch directory argv[1].
// Ports are the kernel's choice (port 0), so no run collides with another.
#include "program.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

// A listener, a client connected to it, and the accepted end.
struct Connection {
  int listener, client, server;
};

static struct Connection connect_loopback(int family, struct sockaddr* addr, socklen_t len) {
  struct Connection c;
  c.listener = (int)syscall(SYS_socket, family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(c.listener >= 0);
  int on = 1;
  if (family != AF_UNIX) syscall(SYS_setsockopt, c.listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  REQUIRE(syscall(SYS_bind, c.listener, addr, len) == 0);
  REQUIRE(syscall(SYS_listen, c.listener, 8) == 0);
  socklen_t got = len;
  REQUIRE(syscall(SYS_getsockname, c.listener, addr, &got) == 0);
  c.client = (int)syscall(SYS_socket, family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(c.client >= 0);
  REQUIRE(syscall(SYS_connect, c.client, addr, len) == 0);
  socklen_t peer_len = len;
  c.server = (int)syscall(SYS_accept4, c.listener, addr, &peer_len, SOCK_CLOEXEC);
  REQUIRE(c.server >= 0);
  return c;
}

static void converse(struct Connection c) {
  char buf[64];
  REQUIRE(syscall(SYS_sendto, c.client, "ping", 4, 0, NULL, 0) == 4);
  REQUIRE(syscall(SYS_recvfrom, c.server, buf, sizeof(buf), 0, NULL, NULL) == 4);

  char part1[] = "two ", part2[] = "parts";
  struct iovec out[2] = {{part1, 4}, {part2, 5}};
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = out;
  msg.msg_iovlen = 2;
  REQUIRE(syscall(SYS_sendmsg, c.server, &msg, 0) == 9);
  struct iovec in = {buf, sizeof(buf)};
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &in;
  msg.msg_iovlen = 1;
  REQUIRE(syscall(SYS_recvmsg, c.client, &msg, 0) == 9);

  struct sockaddr_storage peer;
  socklen_t peer_len = sizeof(peer);
  syscall(SYS_getpeername, c.client, &peer, &peer_len);
  int type = 0;
  socklen_t type_len = sizeof(type);
  syscall(SYS_getsockopt, c.client, SOL_SOCKET, SO_TYPE, &type, &type_len);
  syscall(SYS_shutdown, c.client, SHUT_WR);
  REQUIRE(syscall(SYS_recvfrom, c.server, buf, sizeof(buf), 0, NULL, NULL) == 0);
  syscall(SYS_close, c.server);
  syscall(SYS_close, c.client);
  syscall(SYS_close, c.listener);
}

static void udp(void) {
  int rx = (int)syscall(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int tx = (int)syscall(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(rx >= 0 && tx >= 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof(addr);
  REQUIRE(syscall(SYS_bind, rx, &addr, len) == 0);
  REQUIRE(syscall(SYS_getsockname, rx, &addr, &len) == 0);
  REQUIRE(syscall(SYS_sendto, tx, "datagram", 8, 0, &addr, sizeof(addr)) == 8);
  char buf[32];
  struct sockaddr_in from;
  socklen_t from_len = sizeof(from);
  REQUIRE(syscall(SYS_recvfrom, rx, buf, sizeof(buf), 0, &from, &from_len) == 8);
  syscall(SYS_close, tx);
  syscall(SYS_close, rx);
}

int main(int argc, char** argv) {
  REQUIRE(argc == 2);
  struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  converse(connect_loopback(AF_INET, (struct sockaddr*)&v4, sizeof(v4)));

  struct sockaddr_in6 v6;
  memset(&v6, 0, sizeof(v6));
  v6.sin6_family = AF_INET6;
  v6.sin6_addr = in6addr_loopback;
  converse(connect_loopback(AF_INET6, (struct sockaddr*)&v6, sizeof(v6)));

  udp();

  int pair[2];
  REQUIRE(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0);
  REQUIRE(syscall(SYS_write, pair[0], "pair", 4) == 4);
  char buf[8];
  REQUIRE(syscall(SYS_read, pair[1], buf, sizeof(buf)) == 4);
  syscall(SYS_close, pair[0]);
  syscall(SYS_close, pair[1]);

  struct sockaddr_un named;
  memset(&named, 0, sizeof(named));
  named.sun_family = AF_UNIX;
  REQUIRE(snprintf(named.sun_path, sizeof(named.sun_path), "%s/conf.sock", argv[1]) <
          (int)sizeof(named.sun_path));
  socklen_t named_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(named.sun_path) + 1);
  converse(connect_loopback(AF_UNIX, (struct sockaddr*)&named, named_len));
  syscall(SYS_unlink, named.sun_path);
  return 0;
}
