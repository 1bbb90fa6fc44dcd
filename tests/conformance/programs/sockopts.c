// Socket options at every common level, set and read back: SOL_SOCKET
// (ints, a linger, a timeout, SO_ERROR after a refused connection, the
// socket's type), SOL_TCP (ints and the congestion control's name),
// SOL_IP, SOL_IPV6, SOL_UDP, SOL_NETLINK and SOL_PACKET, and an option no
// level has. Ports are fixed: the test runs it in a network namespace of
// its own, where nothing listens.
#include "program.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

static void set_int(int fd, int level, int name, int value) {
  syscall(SYS_setsockopt, fd, level, name, &value, sizeof(value));
}

static void get_int(int fd, int level, int name) {
  int value = 0;
  socklen_t len = sizeof(value);
  syscall(SYS_getsockopt, fd, level, name, &value, &len);
}

static void socket_level(void) {
  int fd = (int)syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
  set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
  set_int(fd, SOL_SOCKET, SO_SNDBUF, 65536);
  get_int(fd, SOL_SOCKET, SO_SNDBUF);
  get_int(fd, SOL_SOCKET, SO_TYPE);
  get_int(fd, SOL_SOCKET, SO_DOMAIN);
  get_int(fd, SOL_SOCKET, SO_PROTOCOL);
  get_int(fd, SOL_SOCKET, SO_ACCEPTCONN);
  struct linger linger = {.l_onoff = 1, .l_linger = 5};
  syscall(SYS_setsockopt, fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger));
  socklen_t len = sizeof(linger);
  syscall(SYS_getsockopt, fd, SOL_SOCKET, SO_LINGER, &linger, &len);
  struct timeval timeout = {.tv_sec = 2, .tv_usec = 500000};
  syscall(SYS_setsockopt, fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  len = sizeof(timeout);
  syscall(SYS_getsockopt, fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, &len);
  set_int(fd, SOL_SOCKET, 9999, 1);  // no such option: ENOPROTOOPT

  syscall(SYS_close, fd);

  // A connection refused, waited for: SO_ERROR tells why, once.
  fd = (int)syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  REQUIRE(fd >= 0);
  struct sockaddr_in nobody = {.sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  syscall(SYS_connect, fd, &nobody, sizeof(nobody));
  struct pollfd pfd = {.fd = fd, .events = POLLOUT};
  syscall(SYS_poll, &pfd, 1, -1);
  get_int(fd, SOL_SOCKET, SO_ERROR);
  get_int(fd, SOL_SOCKET, SO_ERROR);
  syscall(SYS_close, fd);
}

static void tcp_level(void) {
  int fd = (int)syscall(SYS_socket, AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  set_int(fd, SOL_TCP, TCP_NODELAY, 1);
  set_int(fd, SOL_TCP, TCP_KEEPIDLE, 60);
  set_int(fd, SOL_TCP, TCP_KEEPINTVL, 10);
  set_int(fd, SOL_TCP, TCP_KEEPCNT, 3);
  get_int(fd, SOL_TCP, TCP_NODELAY);
  get_int(fd, SOL_TCP, TCP_MAXSEG);
  syscall(SYS_setsockopt, fd, SOL_TCP, TCP_CONGESTION, "reno", 4);
  char name[16];
  socklen_t len = sizeof(name);
  syscall(SYS_getsockopt, fd, SOL_TCP, TCP_CONGESTION, name, &len);
  set_int(fd, SOL_IPV6, IPV6_V6ONLY, 1);
  get_int(fd, SOL_IPV6, IPV6_V6ONLY);
  set_int(fd, SOL_IPV6, IPV6_TCLASS, 0x10);
  set_int(fd, SOL_IPV6, IPV6_RECVERR, 1);
  syscall(SYS_close, fd);
}

static void ip_and_udp_levels(void) {
  int fd = (int)syscall(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  set_int(fd, SOL_IP, IP_TOS, IPTOS_LOWDELAY);
  set_int(fd, SOL_IP, IP_TTL, 32);
  get_int(fd, SOL_IP, IP_TTL);
  set_int(fd, SOL_IP, IP_RECVERR, 1);
  set_int(fd, SOL_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO);
  set_int(fd, SOL_IP, IP_PKTINFO, 1);
  set_int(fd, SOL_UDP, UDP_CORK, 1);
  get_int(fd, SOL_UDP, UDP_CORK);
  set_int(fd, SOL_UDP, UDP_SEGMENT, 1400);
  syscall(SYS_close, fd);
}

static void netlink_and_packet_levels(void) {
  int nl = (int)syscall(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  REQUIRE(nl >= 0);
  set_int(nl, SOL_NETLINK, NETLINK_EXT_ACK, 1);
  set_int(nl, SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
  set_int(nl, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_LINK);
  set_int(nl, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, RTNLGRP_LINK);
  get_int(nl, SOL_NETLINK, NETLINK_NO_ENOBUFS);
  syscall(SYS_close, nl);

  int packet = (int)syscall(SYS_socket, AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
  REQUIRE(packet >= 0);
  set_int(packet, SOL_PACKET, PACKET_AUXDATA, 1);
  set_int(packet, SOL_PACKET, PACKET_VERSION, TPACKET_V2);
  get_int(packet, SOL_PACKET, PACKET_VERSION);
  syscall(SYS_close, packet);
}

int main(void) {
  socket_level();
  tcp_level();
  ip_and_udp_levels();
  netlink_and_packet_levels();
  return 0;
}
