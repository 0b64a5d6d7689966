#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write the fuzz seed corpora: corpus-46/, corpus-64/, corpus-reasm/,
corpus-conf/, corpus-dhcp4/, corpus-dad-nd/ and corpus-dhcp6/ here, and
the daemon's parsers' from daemon_seeds.py.

A packet seed is one selector byte (see fuzz-xlat.h) and a packet built
here with correct lengths and checksums (RFC 791, RFC 8200, RFC 768,
RFC 9293, RFC 792, RFC 4443). Only the standard library is used, so the
script runs anywhere: python3 tests/fuzz/make-seeds.py
"""
import ipaddress
import os
import struct

import daemon_seeds

HERE = os.path.dirname(os.path.abspath(__file__))

# Selector bytes (fuzz-xlat.h).
CLAT = 0x00  # CLAT, pool6 2001:db8:64::/96
SIIT = 0x03  # SIIT, pool6 2001:db8:6400::/40
SIIT_NO_POOL = 0x0F  # SIIT, EAM only
MTU_68 = 0x10  # lowest IPv6 1280, IPv6 1280, IPv4 68

ICMP, TCP, UDP, ICMP6 = 1, 6, 17, 58
HOPOPTS, ROUTING, FRAGMENT, DSTOPTS = 0, 43, 44, 60
DF, MF = 0x4000, 0x2000

CLAT4, CLAT6 = "192.0.0.1", "2001:db8:c1a7::1"
REMOTE4 = "198.51.100.10"


def a4(s):
    return ipaddress.IPv4Address(s).packed


def a6(s):
    return ipaddress.IPv6Address(s).packed


def embed(prefix, v4):
    """RFC 6052 section 2.2: IPv4 bytes after the prefix, skipping byte 8."""
    net = ipaddress.IPv6Network(prefix)
    out = bytearray(net.network_address.packed)
    pos = net.prefixlen // 8
    for b in a4(v4):
        if pos == 8:
            pos += 1
        out[pos] = b
        pos += 1
    return ipaddress.IPv6Address(bytes(out)).compressed


def csum(data):
    """RFC 1071."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pseudo4(src, dst, proto, length):
    return a4(src) + a4(dst) + struct.pack("!BBH", 0, proto, length)


def pseudo6(src, dst, proto, length):
    return a6(src) + a6(dst) + struct.pack("!IxxxB", length, proto)


def with_csum(l4, off, pseudo):
    c = csum(pseudo + l4)
    return l4[:off] + struct.pack("!H", c) + l4[off + 2 :]


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def tcp(sport, dport, data, flags=0x18, opts=b""):
    off = (20 + len(opts)) // 4
    return (
        struct.pack("!HHIIBBHHH", sport, dport, 1000, 2000, off << 4, flags,
                    65535, 0, 0)
        + opts
        + data
    )


def l4_csum(proto, l4, pseudo):
    """Fill the checksum of a UDP, TCP or ICMP(v6) message."""
    off = {UDP: 6, TCP: 16, ICMP: 2, ICMP6: 2}[proto]
    return with_csum(l4, off, pseudo if proto != ICMP else b"")


def ipv4(src, dst, proto, payload, ttl=64, flags=0, frag=0, opts=b"",
         csum_l4=True):
    if csum_l4 and not frag and not flags & MF:
        payload = l4_csum(proto, payload,
                          pseudo4(src, dst, proto, len(payload)))
    ihl = 5 + len(opts) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload),
                      0x1234, flags | frag, ttl, proto, 0, a4(src), a4(dst))
    hdr += opts
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, proto, payload, hlim=64, ext=(), csum_l4=True):
    """ext: (next-header number, header bytes) pairs, in order."""
    if csum_l4:
        payload = l4_csum(proto, payload,
                          pseudo6(src, dst, proto, len(payload)))
    chain = b""
    nhs = [e[0] for e in ext] + [proto]
    for i, (_, body) in enumerate(ext):
        chain += bytes([nhs[i + 1]]) + body
    body = chain + payload
    hdr = struct.pack("!IHBB16s16s", 0x60000000, len(body), nhs[0], hlim,
                      a6(src), a6(dst))
    return hdr + body


def opt_ext(n=0):
    """Hop-by-Hop or Destination Options: 8 bytes, PadN."""
    return bytes([n, 1, 4, 0, 0, 0, 0])


def frag_ext(offset, more, ident=0xABCD):
    return struct.pack("!xHI", offset | (1 if more else 0), ident)


def icmp4(type_, code, rest, data):
    return struct.pack("!BBH", type_, code, 0) + rest + data


def rfc4884_ext():
    """RFC 4884 section 7: version 2 header and one object (RFC 4950)."""
    obj = struct.pack("!HBB", 8, 1, 1) + b"\0\0\x01\x40"
    hdr = struct.pack("!BxH", 0x20, 0)
    hdr = hdr[:2] + struct.pack("!H", csum(hdr + obj))
    return hdr + obj


def pad(data, n):
    return data + b"\0" * (n - len(data))


def seeds46():
    r4 = REMOTE4
    small = udp(40000, 53, b"q" * 36)  # 20 + 8 + 36 = 64 bytes
    quoted_udp = ipv4(CLAT4, r4, UDP, udp(40000, 53, b"q" * 36))
    quoted_tcp = ipv4(CLAT4, r4, TCP, tcp(40000, 443, b"t" * 1360), flags=DF)
    lsrr = bytes([131, 7, 4]) + a4("203.0.113.1") + bytes([0])
    out = {
        "clat-udp-64": (CLAT, ipv4(CLAT4, r4, UDP, small)),
        "clat-tcp-syn": (CLAT, ipv4(CLAT4, r4, TCP, tcp(
            40000, 443, b"", 0x02, struct.pack("!BBH", 2, 4, 1460)))),
        "clat-tcp-1500-df": (CLAT, ipv4(CLAT4, r4, TCP,
                                        tcp(40000, 443, b"t" * 1460),
                                        flags=DF)),
        "clat-udp-1500": (CLAT, ipv4(CLAT4, r4, UDP, udp(40000, 53,
                                                         b"u" * 1472))),
        "clat-udp-zero-checksum": (CLAT, ipv4(CLAT4, r4, UDP, small,
                                              csum_l4=False)),
        "clat-icmp-echo": (CLAT, ipv4(CLAT4, r4, ICMP, icmp4(
            8, 0, struct.pack("!HH", 7, 1), b"ping" * 8))),
        "clat-icmp-port-unreach": (CLAT, ipv4(r4, CLAT4, ICMP, icmp4(
            3, 3, b"\0" * 4, quoted_udp))),
        "clat-icmp-frag-needed": (CLAT, ipv4(r4, CLAT4, ICMP, icmp4(
            3, 4, struct.pack("!HH", 0, 1400), quoted_tcp[:548]))),
        "clat-icmp-time-exceeded-rfc4884": (CLAT, ipv4(
            "203.0.113.1", CLAT4, ICMP,
            icmp4(11, 0, struct.pack("!xBH", 32, 0),
                  pad(quoted_udp, 128) + rfc4884_ext()))),
        "clat-icmp-param-problem": (CLAT, ipv4(r4, CLAT4, ICMP, icmp4(
            12, 0, struct.pack("!Bxxx", 9), quoted_udp))),
        "clat-frag-first": (CLAT, ipv4(CLAT4, r4, UDP, l4_csum(
            UDP, udp(40000, 53, b"f" * 64), pseudo4(CLAT4, r4, UDP, 200)),
            flags=MF)),
        "clat-frag-later": (CLAT, ipv4(CLAT4, r4, UDP, b"f" * 64, frag=9)),
        "clat-ttl-1": (CLAT, ipv4(CLAT4, r4, UDP, small, ttl=1)),
        "clat-lsrr": (CLAT, ipv4(CLAT4, r4, UDP, small, opts=lsrr)),
        "siit-udp": (SIIT, ipv4("198.51.100.7", "8.8.8.8", UDP, small)),
        "siit-icmp-host-unreach": (SIIT, ipv4("8.8.8.8", "203.0.113.9", ICMP,
            icmp4(3, 1, b"\0" * 4, ipv4("203.0.113.9", "8.8.8.8", UDP,
                                        small)))),
        "siit-mtu68-df": (SIIT | MTU_68, ipv4("198.51.100.7", "8.8.8.8", TCP,
                                              tcp(1, 2, b"d" * 1380),
                                              flags=DF)),
        "siit-rfc6791": (SIIT_NO_POOL, ipv4("192.0.2.99", "198.51.100.7",
            ICMP, icmp4(11, 0, b"\0" * 4, ipv4("198.51.100.7", "203.0.113.9",
                                               UDP, small)))),
    }
    return out


def seeds64():
    r6 = embed("2001:db8:64::/96", REMOTE4)
    s6 = "2001:db8:100::7"  # SIIT EAM: 198.51.100.7
    small = udp(53, 40000, b"q" * 36)
    quoted_udp = ipv6(CLAT6, r6, UDP, udp(40000, 53, b"q" * 36))
    quoted_tcp = ipv6(CLAT6, r6, TCP, tcp(40000, 443, b"t" * 1400))
    routing = bytes([0, 0, 1]) + b"\0" * 4  # type 0, segments left 1
    out = {
        "clat-udp-64": (CLAT, ipv6(r6, CLAT6, UDP, small)),
        "clat-tcp": (CLAT, ipv6(r6, CLAT6, TCP, tcp(443, 40000, b"t" * 100))),
        "clat-tcp-1500": (CLAT, ipv6(r6, CLAT6, TCP, tcp(443, 40000,
                                                         b"t" * 1440))),
        "clat-icmp6-echo-reply": (CLAT, ipv6(r6, CLAT6, ICMP6, icmp4(
            129, 0, struct.pack("!HH", 7, 1), b"pong" * 8))),
        "clat-icmp6-port-unreach": (CLAT, ipv6(r6, CLAT6, ICMP6, icmp4(
            1, 4, b"\0" * 4, quoted_udp))),
        "clat-icmp6-packet-too-big": (CLAT, ipv6(r6, CLAT6, ICMP6, icmp4(
            2, 0, struct.pack("!I", 1400), quoted_tcp[:1232]))),
        "clat-icmp6-time-exceeded-rfc4884": (CLAT, ipv6(r6, CLAT6, ICMP6,
            icmp4(3, 0, struct.pack("!Bxxx", 16),
                  pad(quoted_udp, 128) + rfc4884_ext()))),
        "clat-icmp6-param-problem": (CLAT, ipv6(r6, CLAT6, ICMP6, icmp4(
            4, 0, struct.pack("!I", 7), quoted_udp))),
        "clat-icmp6-from-router": (CLAT, ipv6("2001:db8:1::1", CLAT6, ICMP6,
            icmp4(3, 0, b"\0" * 4, quoted_udp))),
        "clat-frag-first": (CLAT, ipv6(r6, CLAT6, UDP, udp(
            53, 40000, b"f" * 64), ext=[(FRAGMENT, frag_ext(0, True))],
            csum_l4=False)),
        "clat-frag-later": (CLAT, ipv6(r6, CLAT6, UDP, b"f" * 64,
                                       ext=[(FRAGMENT, frag_ext(72, False))],
                                       csum_l4=False)),
        "clat-hbh-dstopts": (CLAT, ipv6(r6, CLAT6, UDP, small,
                                        ext=[(HOPOPTS, opt_ext()),
                                             (DSTOPTS, opt_ext())])),
        "clat-routing-segleft": (CLAT, ipv6(r6, CLAT6, UDP, small,
                                            ext=[(ROUTING, routing)])),
        "clat-hlim-1": (CLAT, ipv6(r6, CLAT6, UDP, small, hlim=1)),
        "siit-hairpin": (SIIT, ipv6(s6, embed("2001:db8:6400::/40",
                                              "203.0.113.5"), UDP, small)),
        "siit-udp-eam": (SIIT, ipv6(embed("2001:db8:6400::/40", "8.8.8.8"),
                                    "2001:db8:300::1", UDP, small)),
        "siit-mtu68-udp-1400": (SIIT | MTU_68, ipv6(
            embed("2001:db8:6400::/40", "8.8.8.8"), s6, UDP,
            udp(53, 40000, b"m" * 1352))),
    }
    return out


def record(pkt, elapsed=0):
    """fuzz-reasm.c: length, elapsed time in 256 ms steps, fragment."""
    return struct.pack("!HB", len(pkt), elapsed) + pkt


def seeds_reasm():
    r6 = embed("2001:db8:64::/96", REMOTE4)
    echo4 = l4_csum(ICMP, icmp4(8, 0, struct.pack("!HH", 7, 1),
                                b"e" * 200), b"")
    echo6 = icmp4(128, 0, struct.pack("!HH", 7, 1), b"e" * 200)
    echo6 = l4_csum(ICMP6, echo6, pseudo6(r6, CLAT6, ICMP6, len(echo6)))
    v4 = [ipv4(CLAT4, REMOTE4, ICMP, echo4[off:off + 96],
               flags=MF if off + 96 < len(echo4) else 0, frag=off // 8)
          for off in (0, 96, 192)]
    v6 = [ipv6(r6, CLAT6, ICMP6, echo6[off:off + 104],
               ext=[(FRAGMENT, frag_ext(off, off + 104 < len(echo6)))],
               csum_l4=False)
          for off in (0, 104)]
    return {
        "icmp4-echo-3-fragments": b"".join(record(f) for f in v4),
        "icmp4-echo-reordered": b"".join(record(f) for f in v4[::-1]),
        "icmp6-echo-2-fragments": b"".join(record(f) for f in v6),
        "icmp6-echo-timed-out": record(v6[0]) + record(v6[1], 200),
    }


CONFS = {
    "clat.conf": """# CLAT (RFC 6877)
plat-prefix = 2001:db8:64::/96
clat-v4-addr = 192.0.0.1
clat-v6-addr = 2001:db8:1::c1a7
""",
    "siit.conf": """plat-prefix = 2001:db8:6400::/40
eam = 2001:db8:100::/120,198.51.100.0/24
eam = 2001:db8:400::/108,172.16.0.0/12
xlat-v4-addr = 192.0.2.254
xlat-v6-addr = 2001:db8:ffff::1
rfc6791-v4 = 192.0.0.8
rfc6791-v6 = 2001:db8:ffff::6791
lowest-ipv6-mtu = 1400
mtu-v4 = 576
mtu-v6 = 1280
amend-udp-checksum-zero = no
decrement-ttl = off
wkp-strict = yes
reset-traffic-class = 1
""",
    "wkp.conf": """plat-prefix=64:ff9b::/96
wkp-strict=true
mtu-v4=68
eam=
""",
    "errors.conf": """plat-prefix = 2001:db8::/33
eam = 2001:db8::/120,10.0.0.0/8
no-such-key = 1
just words
clat-v4-addr = 192.0.0.1
""",
}


# DHCPv4 (RFC 2131 section 2, RFC 2132), for fuzz-dhcp4: a host byte (0:
# this host is 02:00:00:00:01:02, 1: a link without a hardware address),
# then the IPv4 packet.
HOST_MAC = bytes.fromhex("020000000102")


def dhcp4(op, msg_type, opts=b"", mac=HOST_MAC, yiaddr="0.0.0.0", file=b"",
          overload=None):
    options = bytes([53, 1, msg_type]) + opts
    if overload is not None:
        options += bytes([52, 1, overload])
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", op, 1, 6, 0, 0x12345678,
                        0, 0, a4("0.0.0.0"), a4(yiaddr), a4("0.0.0.0"),
                        a4("0.0.0.0"), mac, b"", file)
    bootp += bytes([99, 130, 83, 99]) + options + b"\xff"
    reply = op == 2
    src, dst = ("192.0.2.1", "255.255.255.255") if reply else \
        ("0.0.0.0", "255.255.255.255")
    sport, dport = (67, 68) if reply else (68, 67)
    return ipv4(src, dst, UDP, udp(sport, dport, bootp))


def seeds_dhcp4():
    v6only = bytes([108, 4]) + struct.pack("!I", 1800)
    prl = bytes([55, 5, 1, 3, 6, 15, 108])
    return {
        "offer-v6only": (0, dhcp4(2, 2, v6only, yiaddr="192.0.2.100")),
        "offer-plain": (0, dhcp4(2, 2, yiaddr="192.0.2.100")),
        "ack-v6only-no-hwaddr": (1, dhcp4(2, 5, v6only)),
        "ack-plain": (0, dhcp4(2, 5, yiaddr="192.0.2.100")),
        "discover-asks-v6only": (0, dhcp4(1, 1, prl)),
        "request-plain": (0, dhcp4(1, 3, bytes([55, 2, 1, 3]))),
        "offer-other-host": (0, dhcp4(2, 2, v6only,
                                      mac=bytes.fromhex("020000000909"))),
        "offer-overload-file": (0, dhcp4(2, 2, yiaddr="192.0.2.100",
                                         file=v6only + b"\xff", overload=1)),
        "offer-v6only-split": (0, dhcp4(2, 2, bytes([108, 2, 0, 0,
                                                     108, 2, 7, 8]))),
    }


# DAD's NS and NA (RFC 4861 sections 4.3, 4.4; RFC 7527), for fuzz-dad-nd:
# a context byte (fuzz-dad-nd.c), then the ICMPv6 message.
DAD_TARGET = "2001:db8:d::c1a7"


def nd_msg(type_, flags=0, opts=b""):
    return struct.pack("!BBHI16s", type_, 0, 0, flags << 24,
                       a6(DAD_TARGET)) + opts


def seeds_dad_nd():
    nonce = bytes([14, 1, 9, 9, 9, 9, 9, 9])
    sllao = bytes([1, 1]) + HOST_MAC
    tllao = bytes([2, 1]) + HOST_MAC
    # context: bit 0 optimistic, bits 1-2 source, bits 3-4 destination
    return {
        "ns-dad-probe": (0x00, nd_msg(135, opts=nonce)),
        "ns-resolve-optimistic": (0x03, nd_msg(135, opts=sllao)),
        "na-unsolicited": (0x0A, nd_msg(136, 0x20, tllao)),
        "na-solicited-unicast": (0x12, nd_msg(136, 0x60, tllao)),
    }


# DHCPv6 (RFC 8415), for fuzz-dhcp6: records of an operation, a time
# step, a length and a message (fuzz-dhcp6.c); the client's DUID and IAID.
DHCP6_DUID = bytes([0, 4]) + bytes([0x11]) * 16
DHCP6_IAID = 0xC1A7
DHCP6_SERVER = bytes([0, 3, 0, 1, 2, 0, 0, 0, 0, 1])


def d6opt(code, value):
    return struct.pack("!HH", code, len(value)) + value


def d6msg(type_, t1=100, t2=160, pref=200, valid=300, extra=b""):
    iaaddr = d6opt(5, a6("2001:db8:1::1000") + struct.pack("!II", pref,
                                                           valid))
    ia = d6opt(3, struct.pack("!III", DHCP6_IAID, t1, t2) + iaaddr)
    return (bytes([type_, 0, 0, 0]) + d6opt(1, DHCP6_DUID) +
            d6opt(2, DHCP6_SERVER) + ia + extra)


def d6rec(op, dt, msg=b""):
    return struct.pack("!BBH", op, dt, len(msg)) + msg


def seeds_dhcp6():
    adv = d6msg(2, extra=d6opt(7, b"\xff"))
    reply = d6msg(7)
    start, timer, receive = 4, 1, 0 | 8
    bound = (d6rec(start, 0) + d6rec(timer, 1) + d6rec(receive, 0, adv) +
             d6rec(receive, 0, reply))
    return {
        "bind": bound,
        "bind-renew": bound + d6rec(timer, 100) + d6rec(receive, 1, reply),
        "bind-expire": bound + d6rec(timer, 100) + d6rec(timer, 60) +
        d6rec(timer, 140),
        "bind-release": bound + d6rec(3, 5) + d6rec(receive, 0, reply),
        "bind-decline": bound + d6rec(2, 0) + d6rec(receive, 0, reply),
        "advertise-noaddrs": d6rec(start, 0) + d6rec(timer, 1) +
        d6rec(receive, 0, d6msg(2, extra=d6opt(13, b"\x00\x02none"))),
    }


def write(dirname, name, data):
    path = os.path.join(HERE, dirname, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    for name, (sel, pkt) in seeds46().items():
        write("corpus-46", name, bytes([sel]) + pkt)
    for name, (sel, pkt) in seeds64().items():
        write("corpus-64", name, bytes([sel]) + pkt)
    for name, data in seeds_reasm().items():
        write("corpus-reasm", name, data)
    for name, text in CONFS.items():
        write("corpus-conf", name, text.encode())
    for corpus, seeds in daemon_seeds.corpora().items():
        for name, data in seeds.items():
            write(corpus, name, data)
    for name, (host, pkt) in seeds_dhcp4().items():
        write("corpus-dhcp4", name, bytes([host]) + pkt)
    for name, (ctx, msg) in seeds_dad_nd().items():
        write("corpus-dad-nd", name, bytes([ctx]) + msg)
    for name, data in seeds_dhcp6().items():
        write("corpus-dhcp6", name, data)


if __name__ == "__main__":
    main()
