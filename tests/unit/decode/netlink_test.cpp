// Netlink messages and socket options as strace shows them. The messages
// are built here with the kernel's structs; each expected text is strace
// 6.1's line for the same bytes, from tests/conformance/programs/netlink.c
// and sockopts.c traced by `strace -f` in a network namespace (the call is
// noted by each case).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <linux/fib_rules.h>
#include <linux/inet_diag.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstring>

#include "decode/arguments/sockopt_values.h"
#include "decode/render/value_text.h"
#include "decode/values/netlink/netlink_value.h"

using namespace etrace::decode;

namespace {

// A buffer assembled from structs and attributes, each padded to 4 bytes.
class Message {
 public:
  template <typename T>
  Message& add(const T& part) {
    bytes_.append(reinterpret_cast<const char*>(&part), sizeof part);
    bytes_.resize(NLMSG_ALIGN(bytes_.size()), '\0');
    return *this;
  }
  Message& attribute(uint16_t type, std::string_view data) {
    const nlattr nla{static_cast<uint16_t>(NLA_HDRLEN + data.size()), type};
    bytes_.append(reinterpret_cast<const char*>(&nla), sizeof nla);
    bytes_.append(data);
    bytes_.resize(NLA_ALIGN(bytes_.size()), '\0');
    return *this;
  }
  template <typename T>
  Message& attribute(uint16_t type, const T& value) {
    return attribute(type, std::string_view(reinterpret_cast<const char*>(&value), sizeof value));
  }
  // The bytes, with nlmsg_len set to their length.
  std::string done() {
    const auto len = static_cast<uint32_t>(bytes_.size());
    std::memcpy(bytes_.data(), &len, sizeof len);
    return bytes_;
  }

 private:
  std::string bytes_;
};

nlmsghdr header(uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid) { return nlmsghdr{0, type, flags, seq, pid}; }

std::string text(const std::string& bytes, int protocol, size_t limit = 32) {
  auto v = netlink_value(bytes, bytes.size(), protocol, limit);
  return v ? value_text(*v, StringOptions{limit, HexStyle::kNone}) : "(bytes)";
}

TEST(Netlink, ALinkDumpRequest) {
  // sendto(3, [{nlmsg_len=40, nlmsg_type=RTM_GETLINK, ...}, {...}, [{nla_len=8, nla_type=IFLA_EXT_MASK}, RTEXT_FILTER_VF]], 40, 0, NULL, 0)
  const std::string request = Message()
                                  .add(header(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 102, 0))
                                  .add(ifinfomsg{})
                                  .attribute(IFLA_EXT_MASK, uint32_t{RTEXT_FILTER_VF})
                                  .done();
  EXPECT_EQ(text(request, NETLINK_ROUTE),
            "[{nlmsg_len=40, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=102, "
            "nlmsg_pid=0}, {ifi_family=AF_UNSPEC, ifi_type=ARPHRD_NETROM, ifi_index=0, ifi_flags=0, ifi_change=0}, "
            "[{nla_len=8, nla_type=IFLA_EXT_MASK}, RTEXT_FILTER_VF]]");
  // The same bytes on a socket of a protocol without decoders:
  // sendmsg(3, {... msg_iov=[{iov_base=[{nlmsg_len=40, nlmsg_type=0x12 /* NLMSG_??? */, ...
  EXPECT_EQ(text(request, NETLINK_USERSOCK),
            "[{nlmsg_len=40, nlmsg_type=0x12 /* NLMSG_??? */, nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=102, "
            "nlmsg_pid=0}, \"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
            "\\x08\\x00\\x1d\\x00\\x01\\x00\\x00\\x00\"]");
  // getifaddrs' request carries only the family:
  // sendto(3, [{nlmsg_len=20, ...}, {ifi_family=AF_UNSPEC, ...}], 20, 0, {sa_family=AF_NETLINK, ...}, 12)
  EXPECT_EQ(text(Message().add(header(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1, 0)).add(rtgenmsg{}).done(),
                 NETLINK_ROUTE),
            "[{nlmsg_len=20, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=1, "
            "nlmsg_pid=0}, {ifi_family=AF_UNSPEC, ...}]");
}

TEST(Netlink, AcksErrorsAndTheEndOfADump) {
  // recvmsg(3, {... iov_base=[{nlmsg_len=36, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_CAPPED, ...}, {error=0, msg={...}}] ...})
  nlmsghdr request = header(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 101, 0);
  request.nlmsg_len = 40;
  const std::string ack = Message().add(header(NLMSG_ERROR, NLM_F_CAPPED, 101, 2387)).add(int32_t{0}).add(request).done();
  EXPECT_EQ(text(ack, NETLINK_ROUTE),
            "[{nlmsg_len=36, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_CAPPED, nlmsg_seq=101, nlmsg_pid=2387}, "
            "{error=0, msg={nlmsg_len=40, nlmsg_type=RTM_NEWLINK, nlmsg_flags=NLM_F_REQUEST|NLM_F_ACK, "
            "nlmsg_seq=101, nlmsg_pid=0}}]");

  // An error quotes the whole request: {error=-ENODEV, msg=[{...}, {ifi_family=..., ifi_index=999, ...}, [...]]}
  ifinfomsg missing{};
  missing.ifi_index = 999;
  const std::string original = Message()
                                   .add(header(RTM_GETLINK, NLM_F_REQUEST, 103, 0))
                                   .add(missing)
                                   .attribute(IFLA_EXT_MASK, uint32_t{RTEXT_FILTER_VF})
                                   .done();
  const std::string error = Message().add(header(NLMSG_ERROR, 0, 103, 2387)).add(int32_t{-ENODEV}).done() + original;
  std::string fixed = error;
  const auto len = static_cast<uint32_t>(fixed.size());
  std::memcpy(fixed.data(), &len, sizeof len);
  EXPECT_EQ(text(fixed, NETLINK_ROUTE),
            "[{nlmsg_len=60, nlmsg_type=NLMSG_ERROR, nlmsg_flags=0, nlmsg_seq=103, nlmsg_pid=2387}, "
            "{error=-ENODEV, msg=[{nlmsg_len=40, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=103, "
            "nlmsg_pid=0}, {ifi_family=AF_UNSPEC, ifi_type=ARPHRD_NETROM, ifi_index=999, ifi_flags=0, "
            "ifi_change=0}, [{nla_len=8, nla_type=IFLA_EXT_MASK}, RTEXT_FILTER_VF]]}]");

  // recvmsg(3, {... iov_base=[{nlmsg_len=20, nlmsg_type=NLMSG_DONE, nlmsg_flags=NLM_F_MULTI, ...}, 0] ...})
  EXPECT_EQ(text(Message().add(header(NLMSG_DONE, NLM_F_MULTI, 102, 2387)).add(int32_t{0}).done(), NETLINK_ROUTE),
            "[{nlmsg_len=20, nlmsg_type=NLMSG_DONE, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=102, nlmsg_pid=2387}, 0]");
}

TEST(Netlink, AddressesAndRoutesWithTheirAttributes) {
  ifaddrmsg lo{};
  lo.ifa_family = AF_INET;
  lo.ifa_prefixlen = 8;
  lo.ifa_flags = IFA_F_PERMANENT;
  lo.ifa_scope = RT_SCOPE_HOST;
  lo.ifa_index = 1;  // lo is 1 in every network namespace
  const in_addr loopback{htonl(INADDR_LOOPBACK)};
  const std::string address = Message()
                                  .add(header(RTM_NEWADDR, NLM_F_MULTI, 104, 2387))
                                  .add(lo)
                                  .attribute(IFA_ADDRESS, loopback)
                                  .attribute(IFA_LOCAL, loopback)
                                  .attribute(IFA_LABEL, std::string_view("lo", 3))
                                  .attribute(IFA_FLAGS, uint32_t{IFA_F_PERMANENT})
                                  .attribute(IFA_CACHEINFO, ifa_cacheinfo{0xffffffff, 0xffffffff, 616395, 616395})
                                  .done();
  ifaddrmsg lo6 = lo;
  lo6.ifa_family = AF_INET6;
  lo6.ifa_prefixlen = 128;
  const std::string address6 = Message()
                                   .add(header(RTM_NEWADDR, NLM_F_MULTI, 104, 2387))
                                   .add(lo6)
                                   .attribute(IFA_ADDRESS, in6addr_loopback)
                                   .attribute(IFA_PROTO, uint8_t{1})
                                   .done();
  // recvfrom(3, [[{nlmsg_len=76, nlmsg_type=RTM_NEWADDR, ...}, {ifa_family=AF_INET, ...}, [[...], ...]], [...]], 8192, 0, NULL, NULL)
  EXPECT_EQ(text(address + address6, NETLINK_ROUTE),
            "[[{nlmsg_len=76, nlmsg_type=RTM_NEWADDR, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=104, nlmsg_pid=2387}, "
            "{ifa_family=AF_INET, ifa_prefixlen=8, ifa_flags=IFA_F_PERMANENT, ifa_scope=RT_SCOPE_HOST, "
            "ifa_index=if_nametoindex(\"lo\")}, [[{nla_len=8, nla_type=IFA_ADDRESS}, inet_addr(\"127.0.0.1\")], "
            "[{nla_len=8, nla_type=IFA_LOCAL}, inet_addr(\"127.0.0.1\")], [{nla_len=7, nla_type=IFA_LABEL}, \"lo\"], "
            "[{nla_len=8, nla_type=IFA_FLAGS}, IFA_F_PERMANENT], [{nla_len=20, nla_type=IFA_CACHEINFO}, "
            "{ifa_prefered=4294967295, ifa_valid=4294967295, cstamp=616395, tstamp=616395}]]], "
            "[{nlmsg_len=52, nlmsg_type=RTM_NEWADDR, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=104, nlmsg_pid=2387}, "
            "{ifa_family=AF_INET6, ifa_prefixlen=128, ifa_flags=IFA_F_PERMANENT, ifa_scope=RT_SCOPE_HOST, "
            "ifa_index=if_nametoindex(\"lo\")}, [[{nla_len=20, nla_type=IFA_ADDRESS}, inet_pton(AF_INET6, \"::1\")], "
            "[{nla_len=5, nla_type=IFA_PROTO}, \"\\x01\"]]]]");

  rtmsg route{};
  route.rtm_family = AF_INET;
  route.rtm_dst_len = 8;
  route.rtm_table = RT_TABLE_LOCAL;
  route.rtm_protocol = RTPROT_KERNEL;
  route.rtm_scope = RT_SCOPE_HOST;
  route.rtm_type = RTN_LOCAL;
  const in_addr net{htonl(0x7f000000)};
  // recvmsg(3, {... iov_base=[[{nlmsg_len=60, nlmsg_type=RTM_NEWROUTE, ...}, {rtm_family=AF_INET, ...}, [...]], ...
  EXPECT_EQ(text(Message()
                     .add(header(RTM_NEWROUTE, NLM_F_MULTI, 105, 2387))
                     .add(route)
                     .attribute(RTA_TABLE, uint32_t{RT_TABLE_LOCAL})
                     .attribute(RTA_DST, net)
                     .attribute(RTA_PREFSRC, loopback)
                     .attribute(RTA_OIF, uint32_t{1})
                     .done(),
                 NETLINK_ROUTE),
            "[{nlmsg_len=60, nlmsg_type=RTM_NEWROUTE, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=105, nlmsg_pid=2387}, "
            "{rtm_family=AF_INET, rtm_dst_len=8, rtm_src_len=0, rtm_tos=0, rtm_table=RT_TABLE_LOCAL, "
            "rtm_protocol=RTPROT_KERNEL, rtm_scope=RT_SCOPE_HOST, rtm_type=RTN_LOCAL, rtm_flags=0}, "
            "[[{nla_len=8, nla_type=RTA_TABLE}, RT_TABLE_LOCAL], [{nla_len=8, nla_type=RTA_DST}, "
            "inet_addr(\"127.0.0.0\")], [{nla_len=8, nla_type=RTA_PREFSRC}, inet_addr(\"127.0.0.1\")], "
            "[{nla_len=8, nla_type=RTA_OIF}, if_nametoindex(\"lo\")]]]");
}

TEST(Netlink, ListsStopAtTheLimitAndUnknownAttributesStayHex) {
  Message many;
  many.add(header(RTM_NEWLINK, NLM_F_MULTI, 1, 2)).add(ifinfomsg{});
  for (int i = 0; i < 3; ++i) many.attribute(IFLA_MTU, uint32_t{1500});
  many.attribute(0x43, uint8_t{1});
  const std::string link = many.done();
  // -s 2: "[[...], [...], ...]"; a kernel's newer attribute: [{nla_len=5, nla_type=0x43 /* IFLA_??? */}, "\x01"]
  EXPECT_NE(text(link, NETLINK_ROUTE, 2).find("[[{nla_len=8, nla_type=IFLA_MTU}, 1500], [{nla_len=8, nla_type=IFLA_MTU}, "
                                              "1500], ...]"),
            std::string::npos);
  EXPECT_NE(text(link, NETLINK_ROUTE).find("[{nla_len=5, nla_type=0x43 /* IFLA_??? */}, \"\\x01\"]]]"), std::string::npos);
  // A trailing header of zeroes: {nlmsg_len=0, nlmsg_type=0 /* NLMSG_??? */, nlmsg_flags=0, ...}
  const std::string padded = Message().add(header(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 1, 0)).add(ifaddrmsg{}).done() +
                             std::string(sizeof(nlmsghdr), '\0');
  EXPECT_NE(text(padded, NETLINK_ROUTE).find("], {nlmsg_len=0, nlmsg_type=0 /* NLMSG_??? */, nlmsg_flags=0, nlmsg_seq=0, "
                                            "nlmsg_pid=0}]"),
            std::string::npos);
  // What the capture did not copy is marked as left out.
  const std::string done = Message().add(header(NLMSG_DONE, NLM_F_MULTI, 1, 2)).add(int32_t{0}).done();
  auto cut = netlink_value(done, done.size() + 100, NETLINK_ROUTE, 32);
  ASSERT_TRUE(cut);
  EXPECT_EQ(value_text(*cut, StringOptions{32, HexStyle::kNone}),
            "[[{nlmsg_len=20, nlmsg_type=NLMSG_DONE, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=1, nlmsg_pid=2}, 0], ...]");
  // Uevents are not netlink messages.
  EXPECT_FALSE(netlink_value(done, done.size(), NETLINK_KOBJECT_UEVENT, 32));
}

TEST(Netlink, SocketDiagnostics) {
  inet_diag_req_v2 request{};
  request.sdiag_family = AF_INET;
  request.sdiag_protocol = IPPROTO_TCP;
  request.idiag_states = ~0u;
  // sendmsg(4, {... iov_base=[{nlmsg_len=72, nlmsg_type=SOCK_DIAG_BY_FAMILY, ...}, {sdiag_family=AF_INET, ...}] ...})
  EXPECT_EQ(text(Message().add(header(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 106, 0)).add(request).done(),
                 NETLINK_SOCK_DIAG),
            "[{nlmsg_len=72, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=106, "
            "nlmsg_pid=0}, {sdiag_family=AF_INET, sdiag_protocol=IPPROTO_TCP, idiag_ext=0, "
            "idiag_states=1<<TCP_ESTABLISHED|1<<TCP_SYN_SENT|1<<TCP_SYN_RECV|1<<TCP_FIN_WAIT1|1<<TCP_FIN_WAIT2|"
            "1<<TCP_TIME_WAIT|1<<TCP_CLOSE|1<<TCP_CLOSE_WAIT|1<<TCP_LAST_ACK|1<<TCP_LISTEN|1<<TCP_CLOSING|"
            "1<<TCP_NEW_SYN_RECV|0xffffe001, id={idiag_sport=htons(0), idiag_dport=htons(0), "
            "idiag_src=inet_addr(\"0.0.0.0\"), idiag_dst=inet_addr(\"0.0.0.0\"), idiag_if=0, idiag_cookie=[0, 0]}}]");
  // ss -tan's IPv6 request: ..., id={idiag_sport=htons(0), idiag_dport=htons(0), inet_pton(AF_INET6, "::", &idiag_src), ...
  request.sdiag_family = AF_INET6;
  request.idiag_states = 0xfff;
  EXPECT_NE(text(Message().add(header(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0)).add(request).done(),
                 NETLINK_SOCK_DIAG)
                .find("1<<TCP_CLOSING|0x1, id={idiag_sport=htons(0), idiag_dport=htons(0), inet_pton(AF_INET6, \"::\", "
                      "&idiag_src), inet_pton(AF_INET6, \"::\", &idiag_dst), idiag_if=0"),
            std::string::npos);

  inet_diag_msg reply{};
  reply.idiag_family = AF_INET;
  reply.idiag_state = 10;  // TCP_LISTEN
  reply.id.idiag_sport = htons(8081);
  reply.id.idiag_src[0] = htonl(INADDR_LOOPBACK);
  reply.id.idiag_cookie[0] = 4109;
  reply.idiag_wqueue = 4;
  reply.idiag_inode = 739311;
  inet_diag_sockopt options{};
  options.is_icsk = options.mc_loop = options.mc_all = 1;
  // recvmsg(4, {... iov_base=[{nlmsg_len=124, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_MULTI, ...}, {...}, [...]] ...})
  EXPECT_EQ(text(Message()
                     .add(header(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 106, 2387))
                     .add(reply)
                     .attribute(INET_DIAG_SHUTDOWN, uint8_t{0})
                     .attribute(INET_DIAG_MARK, uint32_t{0})
                     .attribute(INET_DIAG_CGROUP_ID, uint64_t{1})
                     .attribute(INET_DIAG_SOCKOPT, options)
                     .done(),
                 NETLINK_SOCK_DIAG),
            "[{nlmsg_len=124, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=106, "
            "nlmsg_pid=2387}, {idiag_family=AF_INET, idiag_state=TCP_LISTEN, idiag_timer=0, idiag_retrans=0, "
            "id={idiag_sport=htons(8081), idiag_dport=htons(0), idiag_src=inet_addr(\"127.0.0.1\"), "
            "idiag_dst=inet_addr(\"0.0.0.0\"), idiag_if=0, idiag_cookie=[4109, 0]}, idiag_expires=0, "
            "idiag_rqueue=0, idiag_wqueue=4, idiag_uid=0, idiag_inode=739311}, [[{nla_len=5, "
            "nla_type=INET_DIAG_SHUTDOWN}, 0], [{nla_len=8, nla_type=INET_DIAG_MARK}, 0], [{nla_len=12, "
            "nla_type=INET_DIAG_CGROUP_ID}, 1], [{nla_len=6, nla_type=INET_DIAG_SOCKOPT}, {is_icsk=1, mc_loop=1, "
            "mc_all=1}]]]");
}

TEST(Netlink, NeighboursAndRules) {
  // ip neigh: sendto(3, [[{nlmsg_len=28, nlmsg_type=RTM_GETNEIGH, ...}, {ndm_family=AF_UNSPEC, ...}], ...], 284, 0, NULL, 0)
  EXPECT_EQ(text(Message().add(header(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, 1, 0)).add(ndmsg{}).done(), NETLINK_ROUTE),
            "[{nlmsg_len=28, nlmsg_type=RTM_GETNEIGH, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=1, "
            "nlmsg_pid=0}, {ndm_family=AF_UNSPEC, ndm_ifindex=0, ndm_state=NUD_NONE, ndm_flags=0, "
            "ndm_type=RTN_UNSPEC}]");
  fib_rule_hdr rule{};
  rule.family = AF_INET;
  rule.table = RT_TABLE_LOCAL;
  rule.action = FR_ACT_TO_TBL;
  // ip rule: recvmsg(3, {... iov_base=[[{nlmsg_len=52, nlmsg_type=RTM_NEWRULE, ...}, {family=AF_INET, ...}, [...]], ...
  EXPECT_EQ(text(Message()
                     .add(header(RTM_NEWRULE, NLM_F_MULTI, 1, 2))
                     .add(rule)
                     .attribute(FRA_TABLE, uint32_t{RT_TABLE_LOCAL})
                     .attribute(FRA_SUPPRESS_PREFIXLEN, uint32_t{0xffffffff})
                     .attribute(FRA_PROTOCOL, uint8_t{RTPROT_KERNEL})
                     .done(),
                 NETLINK_ROUTE),
            "[{nlmsg_len=52, nlmsg_type=RTM_NEWRULE, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=1, nlmsg_pid=2}, "
            "{family=AF_INET, dst_len=0, src_len=0, tos=0, table=RT_TABLE_LOCAL, action=FR_ACT_TO_TBL, flags=0}, "
            "[[{nla_len=8, nla_type=FRA_TABLE}, RT_TABLE_LOCAL], [{nla_len=8, nla_type=FRA_SUPPRESS_PREFIXLEN}, "
            "4294967295], [{nla_len=5, nla_type=FRA_PROTOCOL}, RTPROT_KERNEL]]]");
}

TEST(Netlink, UnixSocketDiagnostics) {
  unix_diag_req request{};
  request.sdiag_family = AF_UNIX;
  request.udiag_states = 0xfff;
  request.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN;
  // ss -xa: sendto(3, [{nlmsg_len=40, nlmsg_type=SOCK_DIAG_BY_FAMILY, ...}, {sdiag_family=AF_UNIX, ...}], 40, 0, NULL, 0)
  EXPECT_EQ(text(Message().add(header(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 123456, 0)).add(request).done(),
                 NETLINK_SOCK_DIAG),
            "[{nlmsg_len=40, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, "
            "nlmsg_seq=123456, nlmsg_pid=0}, {sdiag_family=AF_UNIX, sdiag_protocol=0, "
            "udiag_states=1<<TCP_ESTABLISHED|1<<TCP_SYN_SENT|1<<TCP_SYN_RECV|1<<TCP_FIN_WAIT1|1<<TCP_FIN_WAIT2|"
            "1<<TCP_TIME_WAIT|1<<TCP_CLOSE|1<<TCP_CLOSE_WAIT|1<<TCP_LAST_ACK|1<<TCP_LISTEN|1<<TCP_CLOSING|0x1, "
            "udiag_ino=0, udiag_show=UDIAG_SHOW_NAME|UDIAG_SHOW_PEER|UDIAG_SHOW_RQLEN, udiag_cookie=[0, 0]}]");
  unix_diag_msg reply{};
  reply.udiag_family = AF_UNIX;
  reply.udiag_type = SOCK_STREAM;
  reply.udiag_state = 1;  // TCP_ESTABLISHED
  reply.udiag_ino = 317;
  reply.udiag_cookie[0] = 4240;
  // recvmsg(3, {... iov_base=[[{nlmsg_len=60, ...}, {udiag_family=AF_UNIX, udiag_type=SOCK_STREAM, ...}, [...]], ...
  EXPECT_EQ(text(Message()
                     .add(header(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 123456, 22288))
                     .add(reply)
                     .attribute(UNIX_DIAG_PEER, uint32_t{318})
                     .attribute(UNIX_DIAG_RQLEN, unix_diag_rqlen{})
                     .attribute(UNIX_DIAG_SHUTDOWN, uint8_t{0})
                     .done(),
                 NETLINK_SOCK_DIAG),
            "[{nlmsg_len=60, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=123456, "
            "nlmsg_pid=22288}, {udiag_family=AF_UNIX, udiag_type=SOCK_STREAM, udiag_state=TCP_ESTABLISHED, "
            "udiag_ino=317, udiag_cookie=[4240, 0]}, [[{nla_len=8, nla_type=UNIX_DIAG_PEER}, 318], [{nla_len=12, "
            "nla_type=UNIX_DIAG_RQLEN}, {udiag_rqueue=0, udiag_wqueue=0}], [{nla_len=5, "
            "nla_type=UNIX_DIAG_SHUTDOWN}, 0]]]");
}

PayloadItem copied(std::string bytes) {
  PayloadItem item{};
  item.full_len = static_cast<uint32_t>(bytes.size());
  item.bytes = std::move(bytes);
  return item;
}

template <typename T>
std::string option_text(int level, int name, const T& value) {
  const Registers regs{3, static_cast<uint64_t>(level), static_cast<uint64_t>(name), 0x1000, sizeof value, 0};
  auto v = sockopt_value(copied(std::string(reinterpret_cast<const char*>(&value), sizeof value)), regs);
  return v ? value_text(*v, StringOptions{32, HexStyle::kNone}) : "(bytes)";
}

TEST(SocketOptions, ValuesByLevelAndName) {
  // getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]); then [0]
  EXPECT_EQ(option_text(SOL_SOCKET, SO_ERROR, int32_t{ECONNREFUSED}), "[ECONNREFUSED]");
  EXPECT_EQ(option_text(SOL_SOCKET, SO_ERROR, int32_t{0}), "[0]");
  // setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, 8)
  EXPECT_EQ(option_text(SOL_SOCKET, SO_LINGER, linger{1, 5}), "{l_onoff=1, l_linger=5}");
  // setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4); setsockopt(3, SOL_IP, IP_MTU_DISCOVER, [2], 4)
  EXPECT_EQ(option_text(SOL_TCP, 1, int32_t{1}), "[1]");
  EXPECT_EQ(option_text(SOL_IP, 10, int32_t{2}), "[2]");
  // setsockopt(3, SOL_SOCKET, SO_RCVTIMEO_OLD, "\2\0\0\0\0\0\0\0 \241\7\0\0\0\0\0", 16): left to the bytes
  EXPECT_EQ(option_text(SOL_SOCKET, SO_RCVTIMEO, timeval{2, 500000}), "(bytes)");
}

}  // namespace
