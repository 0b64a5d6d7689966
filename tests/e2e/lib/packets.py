#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Packets the kernel would not send, through raw sockets: floods from
many IPv6 sources, and malformed or odd packets of either family for a
translator to refuse. Built by hand (RFC 791, RFC 8200, RFC 768, RFC 792,
RFC 4443), with right checksums unless a checksum is the point.

  packets.py flood6 --src-prefix P --sources N --dst D [--port PORT]
                    [--hlim H] [--seconds S] [--interval I]
  packets.py bad6 KIND --src S --dst D
  packets.py bad4 KIND --src S --dst D

KIND is one of the names of BAD6 and BAD4 below: the drop reason the
translation core counts for it (xlat_drop_name).
"""
import argparse
import ipaddress
import socket
import struct
import sys
import time

UDP, ICMP, ICMP6, ROUTING, FRAGMENT, DSTOPTS = 17, 1, 58, 43, 44, 60


def fold(data):
    """RFC 1071 one's complement sum, complemented."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def pseudo6(src, dst, length, nh):
    return src + dst + struct.pack("!IxxxB", length, nh)


def with_sum(l4, off, pseudo=b""):
    """l4 with its checksum (at off) computed over pseudo + l4."""
    l4 = l4[:off] + b"\0\0" + l4[off + 2:]
    return l4[:off] + struct.pack("!H", fold(pseudo + l4)) + l4[off + 2:]


def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, hlim) + \
        src + dst + payload


def ipv4(src, dst, proto, payload):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234,
                      0, 64, proto, 0, src, dst)
    return with_sum(hdr, 10) + payload


def udp6(src, dst, port, data=b"ping"):
    udp = struct.pack("!HHHH", 40000, port, 8 + len(data), 0) + data
    return with_sum(udp, 6, pseudo6(src, dst, len(udp), UDP))


def icmp6(src, dst, typ, code, rest=b"\0" * 4, good=True):
    msg = struct.pack("!BBH", typ, code, 0) + rest
    msg = with_sum(msg, 2, pseudo6(src, dst, len(msg), ICMP6))
    if not good:
        msg = msg[:2] + struct.pack("!H", fold(msg[2:4]) ^ 0x5555) + msg[4:]
    return msg


def bad6_routing_header(src, dst):
    # RFC 7915 section 5.1: segments left 1 is answered, not translated
    rh = struct.pack("!BBBBI", UDP, 2, 0, 1, 0) + dst
    return ipv6(src, dst, ROUTING, rh + udp6(src, dst, 9))


def bad6_icmp4_in_ipv6(src, dst):
    echo = struct.pack("!BBHI", 8, 0, 0, 1)
    return ipv6(src, dst, ICMP, with_sum(echo, 2))


def bad6_icmp6_type(src, dst):
    return ipv6(src, dst, ICMP6, icmp6(src, dst, 200, 0))


def bad6_icmp6_error_checksum(src, dst):
    inner = ipv6(dst, src, UDP, udp6(dst, src, 40000))
    return ipv6(src, dst, ICMP6, icmp6(src, dst, 1, 4, b"\0" * 4 + inner,
                                       good=False))


def bad6_frag_ext_header(src, dst):
    # a first fragment whose header chain goes on behind the Fragment
    # header: no IPv4 form (RFC 7915 section 5.1.1)
    dopt = struct.pack("!BB6x", UDP, 0)
    frag = struct.pack("!BxHI", DSTOPTS, 0x0001, 0x5150)
    return ipv6(src, dst, FRAGMENT, frag + dopt + udp6(src, dst, 9, b"x" * 16))


def bad4_icmp6_in_ipv4(src, dst):
    return ipv4(src, dst, ICMP6, struct.pack("!BBHI", 128, 0, 0, 1))


def bad4_icmp_type(src, dst):
    return ipv4(src, dst, ICMP, with_sum(struct.pack("!BBHI", 40, 0, 0, 0), 2))


def bad4_icmp_error_checksum(src, dst):
    inner = ipv4(dst, src, UDP, struct.pack("!HHHH", 40000, 9, 8, 0))
    msg = struct.pack("!BBHI", 3, 3, 0x1111, 0) + inner
    return ipv4(src, dst, ICMP, msg)


BAD6 = {
    "ipv6-routing-header": bad6_routing_header,
    "icmp-wrong-family": bad6_icmp4_in_ipv6,
    "icmp-untranslatable-type": bad6_icmp6_type,
    "icmp-error-bad-checksum": bad6_icmp6_error_checksum,
    "ext-header-after-fragment": bad6_frag_ext_header,
}
BAD4 = {
    "icmp-wrong-family": bad4_icmp6_in_ipv4,
    "icmp-untranslatable-type": bad4_icmp_type,
    "icmp-error-bad-checksum": bad4_icmp_error_checksum,
}


def send6(pkt, dst):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(pkt, (ipaddress.IPv6Address(dst).compressed, 0))


def send4(pkt, dst):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(pkt, (dst, 0))


def flood6(a):
    net = ipaddress.IPv6Network(a.src_prefix)
    dst = ipaddress.IPv6Address(a.dst).packed
    pkts = []
    for i in range(a.sources):
        src = net[0x5000 + i].packed
        pkts.append(ipv6(src, dst, UDP, udp6(src, dst, a.port), a.hlim))
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    end = time.monotonic() + a.seconds
    sent = 0
    while True:
        for p in pkts:
            s.sendto(p, (a.dst, 0))
        sent += len(pkts)
        if time.monotonic() >= end:
            break
        time.sleep(a.interval)
    print(sent)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("flood6")
    f.add_argument("--src-prefix", required=True)
    f.add_argument("--sources", type=int, required=True)
    f.add_argument("--dst", required=True)
    f.add_argument("--port", type=int, default=9)
    f.add_argument("--hlim", type=int, default=64)
    f.add_argument("--seconds", type=float, default=0)
    f.add_argument("--interval", type=float, default=0.5)
    for name, table in (("bad6", BAD6), ("bad4", BAD4)):
        b = sub.add_parser(name)
        b.add_argument("kind", choices=sorted(table))
        b.add_argument("--src", required=True)
        b.add_argument("--dst", required=True)
    a = ap.parse_args()
    if a.cmd == "flood6":
        flood6(a)
    elif a.cmd == "bad6":
        src = ipaddress.IPv6Address(a.src).packed
        dst = ipaddress.IPv6Address(a.dst).packed
        send6(BAD6[a.kind](src, dst), a.dst)
    else:
        src = ipaddress.IPv4Address(a.src).packed
        dst = ipaddress.IPv4Address(a.dst).packed
        send4(BAD4[a.kind](src, dst), a.dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
