# SPDX-License-Identifier: BSD-2-Clause
"""The seeds of the daemon's parsers of outside input, for make-seeds.py:
corpus-rtnl/ (rtnetlink messages, rtnetlink(7)), corpus-pref64/ (ND
options, RFC 4861 section 4.6, RFC 8781), corpus-dns64/ (DNS answers,
RFC 1035, for RFC 7050) and corpus-control/ (control requests,
include/xlatd/control.h).

Netlink is in the byte order of the machine that runs this, as the kernel
sends it. Only the standard library is used.
"""
import ipaddress
import struct

AF_INET, AF_INET6 = 2, 10
RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_NEWROUTE = 16, 17, 20, 24
RTM_NEWNEIGH, RTM_NEWRULE, RTM_NEWTFILTER = 28, 32, 44
RTM_NEWNDUSEROPT = 68
ND_ROUTER_ADVERT = 134
ND_OPT_RDNSS, ND_OPT_PREF64 = 25, 38


def a6(s):
    return ipaddress.IPv6Address(s).packed


def a4(s):
    return ipaddress.IPv4Address(s).packed


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def attr(kind, payload):
    """struct nlattr, then the payload, padded to 4 bytes."""
    return pad4(struct.pack("=HH", 4 + len(payload), kind) + payload)


def msg(kind, body, flags=0, seq=0):
    """struct nlmsghdr and its payload."""
    body = pad4(body)
    return struct.pack("=IHHII", 16 + len(body), kind, flags, seq, 0) + body


def link(kind, index, name, mtu=1500, operstate=6, up=True):
    flags = 0x1 | 0x40 if up else 0  # IFF_UP | IFF_RUNNING
    hdr = struct.pack("=BxHiII", 0, 1, index, flags, 0)  # ARPHRD_ETHER
    return msg(kind, hdr + attr(3, name.encode() + b"\0") +
               attr(4, struct.pack("=I", mtu)) +
               attr(16, bytes([operstate])) +
               attr(1, bytes.fromhex("02005e100001")))


def addr(family, index, address, plen, flags=0):
    raw = a6(address) if family == AF_INET6 else a4(address)
    hdr = struct.pack("=BBBBI", family, plen, 0, 0, index)
    cache = struct.pack("=IIII", 1800, 3600, 0, 0)
    return msg(RTM_NEWADDR, hdr + attr(1, raw) + attr(6, cache) +
               attr(8, struct.pack("=I", flags)))


def route(family, dst, dst_len, gateway=None, oif=2, metric=1024,
          mtu=None):
    conv = a6 if family == AF_INET6 else a4
    hdr = struct.pack("=BBBBBBBBI", family, dst_len, 0, 0, 254, 9, 0, 1, 0)
    body = hdr + attr(4, struct.pack("=I", oif))
    body += attr(6, struct.pack("=I", metric))
    if dst_len:
        body += attr(1, conv(dst))
    if gateway:
        body += attr(5, conv(gateway))
    if mtu:
        body += attr(8, attr(2, struct.pack("=I", mtu)))  # RTAX_MTU
    body += attr(20, b"\1")  # RTA_PREF
    return msg(RTM_NEWROUTE, body)


def neigh(index, dst, lladdr):
    hdr = struct.pack("=BxHiHBB", AF_INET6, 0, index, 0x02, 0, 0)
    return msg(RTM_NEWNEIGH, hdr + attr(1, a6(dst)) +
               attr(2, bytes.fromhex(lladdr)))


def rule(src, src_len, table, prio):
    hdr = struct.pack("=BBBBBBBBI", AF_INET, 0, src_len, 0, 0, 0, 0, 1, 0)
    return msg(RTM_NEWRULE, hdr + attr(2, a4(src)) +
               attr(15, struct.pack("=I", table)) +
               attr(6, struct.pack("=I", prio)) + attr(21, b"\x58"))


def tfilter(index):
    return msg(RTM_NEWTFILTER, struct.pack("=BxHiIII", 0, 0, index, 0,
                                           0xFFFFFFF2, 0))


def pref64_opt(prefix, lifetime=600, plc=None):
    net = ipaddress.IPv6Network(prefix)
    if plc is None:
        plc = {96: 0, 64: 1, 56: 2, 48: 3, 40: 4, 32: 5}[net.prefixlen]
    word = ((lifetime + 7) // 8) << 3 | plc
    return struct.pack("!BBH", ND_OPT_PREF64, 2, word) + \
        net.network_address.packed[:12]


def rdnss_opt(server, lifetime=600):
    return struct.pack("!BBHI", ND_OPT_RDNSS, 3, 0, lifetime) + a6(server)


def useropt(index, opts, router="fe80::1"):
    hdr = struct.pack("=BxHiBBHI", AF_INET6, len(opts), index,
                      ND_ROUTER_ADVERT, 0, 0, 0)
    return msg(RTM_NEWNDUSEROPT, hdr + opts + attr(1, a6(router)))


def rtnl_seeds():
    ra = rdnss_opt("2001:db8:1::53") + pref64_opt("2001:db8:64::/96")
    return {
        "link-new": link(RTM_NEWLINK, 2, "up0"),
        "link-down": link(RTM_NEWLINK, 2, "up0", operstate=2, up=False),
        "link-del": link(RTM_DELLINK, 7, "clat-up0", mtu=1472),
        "addr6-slaac": addr(AF_INET6, 2, "2001:db8:1:0:2:5eff:fe10:1", 64,
                            0x100),
        "addr4": addr(AF_INET, 2, "192.0.2.10", 24),
        "route6-default": route(AF_INET6, "::", 0, "fe80::1"),
        "route6-mtu": route(AF_INET6, "2001:db8:64::", 96, "fe80::1",
                            mtu=1400),
        "route4-default": route(AF_INET, "0.0.0.0", 0, "192.0.2.1"),
        "neigh": neigh(2, "fe80::1", "02005e100002"),
        "rule": rule("192.0.0.2", 32, 100, 1000),
        "tfilter": tfilter(2),
        "ra-pref64-rdnss": useropt(2, ra),
        "ra-pref64-withdrawn": useropt(2, pref64_opt("64:ff9b::/96", 0)),
        "batch": link(RTM_NEWLINK, 2, "up0") +
        addr(AF_INET6, 2, "2001:db8:1::c1a7", 64) +
        useropt(2, pref64_opt("2001:db8:6400::/40", 1800)) +
        route(AF_INET6, "::", 0, "fe80::1"),
    }


def pref64_seeds():
    return {
        "wkp": pref64_opt("64:ff9b::/96"),
        "nsp-32": pref64_opt("2001:db8::/32", 3600),
        "nsp-56-after-rdnss": rdnss_opt("2001:db8::53") +
        pref64_opt("2001:db8:0:100::/56"),
        "bad-plc-then-good": pref64_opt("2001:db8::/32", plc=6) +
        pref64_opt("2001:db8:64::/64"),
        "zero-length": b"\x26\x00" + bytes(14),
    }


def dns_name(name):
    return b"".join(bytes([len(p)]) + p.encode()
                    for p in name.split(".")) + b"\0"


def dns_answer(rcode=0, aaaa=(), cname=None):
    """A reply to AAAA ipv4only.arpa (RFC 1035 section 4.1)."""
    q = dns_name("ipv4only.arpa") + struct.pack("!HH", 28, 1)
    answers = b""
    n = 0
    if cname:
        target = dns_name(cname)
        answers += struct.pack("!HHHIH", 0xC00C, 5, 1, 60, len(target))
        answers += target
        n += 1
    for a in aaaa:
        answers += struct.pack("!HHHIH", 0xC00C, 28, 1, 300, 16) + a6(a)
        n += 1
    head = struct.pack("!HHHHHH", 0x7050, 0x8180 | rcode, 1, n, 0, 0)
    return head + q + answers


def dns64_seeds():
    return {
        "wkp": dns_answer(aaaa=("64:ff9b::c000:aa", "64:ff9b::c000:ab")),
        "nsp-64": dns_answer(aaaa=("2001:db8:1:2:c0:0:aa00:0",)),
        "nsp-32": dns_answer(aaaa=("2001:db8:c000:aa::",)),
        "no-wka": dns_answer(aaaa=("2001:db8::1",)),
        "cname": dns_answer(aaaa=("2001:db8:64::c000:aa",),
                            cname="ipv4only.example"),
        "nxdomain": dns_answer(rcode=3),
    }


CONTROL = {
    "status": b"status\n",
    "stats-json": b"stats json\n",
    "reload": b"reload\n",
    "bad-option": b"status yaml\n",
    "unfinished": b"stat",
}


def corpora():
    """Each corpus directory's seeds: {name: bytes}."""
    return {"corpus-rtnl": rtnl_seeds(), "corpus-pref64": pref64_seeds(),
            "corpus-dns64": dns64_seeds(), "corpus-control": CONTROL}
