#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write the sample captures for demo.conf (raw IP, LINKTYPE_RAW).

demo-v4.pcap: what the host behind the CLAT sends, 192.0.0.1 to
198.51.100.7, to be translated to IPv6 (RFC 7915 section 4).
demo-v6.pcap: what comes back from the PLAT side, 198.51.100.7 embedded
in 2001:db8:64::/96 (RFC 6052), to the CLAT's 2001:db8:1::c1a7, to be
translated to IPv4 (RFC 7915 section 5).

Addresses are documentation ranges (RFC 3849, RFC 5737, RFC 6890). The
output is the same on every run: fixed timestamps, IDs and ports.

Usage: make-samples.py [OUTDIR]   (default: the directory of this script)
"""

import os
import sys

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import (ICMPv6DestUnreach, ICMPv6EchoReply,
                                ICMPv6PacketTooBig, IPv6, IPv6ExtHdrFragment)
from scapy.packet import Raw
from scapy.utils import RawPcapWriter

LINKTYPE_RAW = 101
T0 = 1767225600  # 2026-01-01 00:00:00 UTC

CLAT4 = "192.0.0.1"  # RFC 6877 section 6.3 (192.0.0.0/29)
SERVER4 = "198.51.100.7"
CLAT6 = "2001:db8:1::c1a7"
SERVER6 = "2001:db8:64::c633:6407"  # 2001:db8:64::/96 + 198.51.100.7


def v4_packets():
    ip = dict(src=CLAT4, dst=SERVER4, ttl=64)
    return [
        # UDP, DF set as Linux does
        IP(id=1, flags="DF", **ip) / UDP(sport=40001, dport=7) /
        Raw(b"xlatd demo: a small UDP datagram"),
        IP(id=2, flags="DF", **ip) / UDP(sport=40002, dport=9) /
        Raw(b"to the discard port"),
        # TCP SYN with an MSS option
        IP(id=3, flags="DF", **ip) /
        TCP(sport=40003, dport=80, flags="S", seq=1000, window=64240,
            options=[("MSS", 1460), ("SAckOK", b""), ("NOP", None),
                     ("WScale", 7)]),
        # ICMP echo request becomes ICMPv6 echo request (RFC 7915 4.2)
        IP(id=4, flags="DF", **ip) / ICMP(type=8, id=0x1234, seq=1) /
        Raw(b"ping through the CLAT"),
        # 3000 bytes without DF: fragmented to lowest-ipv6-mtu (RFC 7915 4)
        IP(id=5, flags=0, **ip) / UDP(sport=40004, dport=9) /
        Raw(bytes(i & 0xff for i in range(3000 - 28))),
        # UDP checksum zero: the translator computes one (RFC 7915 4.5)
        IP(id=6, flags="DF", **ip) / UDP(sport=40005, dport=7, chksum=0) /
        Raw(b"no checksum here"),
    ]


def v6_packets():
    ip6 = dict(src=SERVER6, dst=CLAT6, hlim=60)
    # What the CLAT sent that the errors below quote.
    quoted_udp = (IPv6(src=CLAT6, dst=SERVER6, hlim=63) /
                  UDP(sport=40002, dport=9) / Raw(b"to the discard port"))
    quoted_tcp = (IPv6(src=CLAT6, dst=SERVER6, hlim=63) /
                  TCP(sport=40003, dport=80, flags="A", seq=1001, ack=5001) /
                  Raw(bytes(1400 - 60)))
    big = bytes((7 * i) & 0xff for i in range(2000))
    # A 2008-byte UDP datagram from the server, split into two IPv6
    # fragments; the checksum covers the whole datagram (RFC 7915 5.1.1).
    whole = IPv6(**ip6) / UDP(sport=9, dport=40004) / Raw(big)
    payload = bytes(whole[UDP])
    frags = [
        IPv6(nh=44, **ip6) /
        IPv6ExtHdrFragment(nh=17, id=0x5eed, offset=0, m=1) /
        Raw(payload[:1232]),
        IPv6(nh=44, **ip6) /
        IPv6ExtHdrFragment(nh=17, id=0x5eed, offset=1232 // 8, m=0) /
        Raw(payload[1232:]),
    ]
    return [
        IPv6(**ip6) / UDP(sport=7, dport=40001) /
        Raw(b"xlatd demo: the reply"),
        IPv6(**ip6) /
        TCP(sport=80, dport=40003, flags="SA", seq=5000, ack=1001,
            window=65160, options=[("MSS", 1440)]),
        IPv6(**ip6) / ICMPv6EchoReply(id=0x1234, seq=1) /
        Raw(b"ping through the CLAT"),
        # Port unreachable, quoting our UDP: ICMPv4 3/3 (RFC 7915 5.2)
        IPv6(**ip6) / ICMPv6DestUnreach(code=4) / quoted_udp,
        # Packet too big: ICMPv4 3/4 with the MTU less 20 (RFC 7915 5.2)
        IPv6(**ip6) / ICMPv6PacketTooBig(mtu=1400) /
        Raw(bytes(quoted_tcp)[:1232]),
    ] + frags


def write(path, packets):
    with RawPcapWriter(path, linktype=LINKTYPE_RAW, endianness="<") as w:
        w.write_header(None)
        for i, p in enumerate(packets):
            w.write_packet(bytes(p), sec=T0, usec=i * 100000)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__))
    write(os.path.join(outdir, "demo-v4.pcap"), v4_packets())
    write(os.path.join(outdir, "demo-v6.pcap"), v6_packets())


if __name__ == "__main__":
    main()
