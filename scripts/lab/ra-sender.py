#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Send IPv6 router advertisements with PREF64 (RFC 8781) and RDNSS (RFC 8106).

radvd 2.19 cannot send PREF64, so the lab sends its own RAs. This uses a raw
ICMPv6 socket (the kernel fills in the checksum and the link-local source),
so it needs only the standard library and starts at once.

Each RA carries: Source Link-Layer Address, MTU, one Prefix Information
option per --prefix (L and A flags; L alone with --no-autonomous), RDNSS
(if --rdnss) and PREF64 (if --pref64). --managed and --other set the M and
O flags (RFC 4861 section 4.2): addresses and other configuration from
DHCPv6. It sends one RA at start, then one every --interval seconds, and
answers every router solicitation with an RA to ff02::1 (see
--rs-min-delay). With --once it sends one RA and exits.

Example:
  ra-sender.py --iface cl0 --prefix 2001:db8:1::/64 \\
      --pref64 2001:db8:64::/96 --pref64-lifetime 600 --rdnss 2001:db8:1::53
"""

import argparse
import ipaddress
import math
import os
import select
import signal
import socket
import struct
import sys
import time

ND_RS, ND_RA = 133, 134
OPT_SLLA, OPT_PI, OPT_MTU, OPT_RDNSS, OPT_PREF64 = 1, 3, 5, 25, 38
ICMP6_FILTER = 1                      # <netinet/icmp6.h>, level IPPROTO_ICMPV6
PLC = {96: 0, 64: 1, 56: 2, 48: 3, 40: 4, 32: 5}   # RFC 8781 section 4
PRF = {"high": 1, "medium": 0, "low": 3}           # RFC 4191 section 2.2


def log(msg):
    print(f"ra-sender[{os.getpid()}]: {msg}", file=sys.stderr, flush=True)


def opt_slla(mac):
    return struct.pack("!BB6s", OPT_SLLA, 1, mac)


def opt_mtu(mtu):
    return struct.pack("!BBHI", OPT_MTU, 1, 0, mtu)


def opt_pi(net, valid, preferred, autonomous):
    flags = 0x80 | (0x40 if autonomous else 0)   # L (on-link), A
    return struct.pack("!BBBBIII16s", OPT_PI, 4, net.prefixlen, flags,
                       valid, preferred, 0, net.network_address.packed)


def opt_rdnss(addrs, lifetime):
    body = b"".join(a.packed for a in addrs)
    return struct.pack("!BBHI", OPT_RDNSS, 1 + 2 * len(addrs), 0,
                       lifetime) + body


def pref64_scaled(lifetime):
    """Lifetime in seconds -> 13-bit scaled lifetime (units of 8 s)."""
    return min(math.ceil(lifetime / 8), 8191)


def opt_pref64(net, lifetime):
    # 2 units of 8 octets: type, length, scaled lifetime (13 bits) | PLC (3
    # bits), then the highest 96 bits of the prefix.
    word = (pref64_scaled(lifetime) << 3) | PLC[net.prefixlen]
    return struct.pack("!BBH12s", OPT_PREF64, 2, word,
                       net.network_address.packed[:12])


def build_ra(a, mac):
    # Type, code, checksum (kernel), cur hop limit, M/O flags, router
    # lifetime, reachable time, retrans timer.
    flags = PRF[a.router_pref] << 3
    if a.managed:
        flags |= 0x80                  # M: addresses by DHCPv6
    if a.other:
        flags |= 0x40                  # O: other configuration by DHCPv6
    pkt = struct.pack("!BBHBBHII", ND_RA, 0, 0, 64, flags, a.router_lifetime,
                      0, 0)
    pkt += opt_slla(mac)
    if a.mtu:
        pkt += opt_mtu(a.mtu)
    for net in a.prefix:
        pkt += opt_pi(net, a.valid_lifetime, a.preferred_lifetime,
                      not a.no_autonomous)
    if a.rdnss:
        pkt += opt_rdnss(a.rdnss, a.rdnss_lifetime)
    if a.pref64:
        pkt += opt_pref64(a.pref64, a.pref64_lifetime)
    return pkt


def has_usable_ll(ifindex):
    """True if the interface has a link-local address that is not tentative."""
    try:
        with open("/proc/net/if_inet6") as f:
            for line in f:
                addr, idx, _plen, scope, flags, _name = line.split()
                if (int(idx, 16) == ifindex and int(scope, 16) == 0x20 and
                        not int(flags, 16) & 0x40):     # IFA_F_TENTATIVE
                    return True
    except OSError:
        pass
    return False


def open_socket(iface, ifindex):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
    # struct icmp6_filter: a set bit blocks that type. Pass only RS.
    filt = [0xffffffff] * 8
    filt[ND_RS >> 5] &= ~(1 << (ND_RS & 31))
    s.setsockopt(socket.IPPROTO_ICMPV6, ICMP6_FILTER,
                 struct.pack("=8I", *filt))
    return s


def net6(text, lengths=None):
    net = ipaddress.IPv6Network(text, strict=False)
    if lengths is not None and net.prefixlen not in lengths:
        raise argparse.ArgumentTypeError(
            f"{text}: length must be one of {sorted(lengths)}")
    return net


def parse_args():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--iface", required=True)
    p.add_argument("--prefix", action="append", default=[], type=net6,
                   help="SLAAC prefix (repeatable), e.g. 2001:db8:1::/64")
    p.add_argument("--no-autonomous", action="store_true",
                   help="prefixes on-link only, no SLAAC (A flag off)")
    p.add_argument("--managed", action="store_true", help="M flag")
    p.add_argument("--other", action="store_true", help="O flag")
    p.add_argument("--valid-lifetime", type=int, default=86400)
    p.add_argument("--preferred-lifetime", type=int, default=14400)
    p.add_argument("--pref64", type=lambda t: None if t == "none" else
                   net6(t, PLC), default=None,
                   help="PREF64 prefix (/32,/40,/48,/56,/64,/96) or 'none'")
    p.add_argument("--pref64-lifetime", type=int, default=600,
                   help="seconds, 0 withdraws; sent as ceil(s/8), max 8191")
    p.add_argument("--rdnss", action="append", default=[],
                   type=ipaddress.IPv6Address, help="repeatable")
    p.add_argument("--rdnss-lifetime", type=int, default=600)
    p.add_argument("--router-lifetime", type=int, default=1800,
                   help="seconds, 0 = not a default router")
    p.add_argument("--router-pref", choices=PRF, default="medium",
                   help="default router preference (RFC 4191)")
    p.add_argument("--mtu", type=int, default=1500, help="0 to omit")
    p.add_argument("--interval", type=float, default=10.0)
    p.add_argument("--once", action="store_true",
                   help="send one RA and exit")
    p.add_argument("--no-rs", action="store_true",
                   help="do not answer router solicitations")
    p.add_argument("--rs-min-delay", type=float, default=0.0,
                   help="ignore an RS this soon after an RA (default 0: "
                   "answer every RS)")
    p.add_argument("--wait", type=float, default=10.0,
                   help="seconds to wait for a usable link-local address")
    a = p.parse_args()
    if a.rdnss:
        a.rdnss = a.rdnss[:127]
    if not 0 <= a.router_lifetime <= 65535:
        p.error("--router-lifetime must be 0..65535")
    if not 0 <= a.pref64_lifetime <= 8191 * 8:
        p.error("--pref64-lifetime must be 0..65528")
    if a.pref64 and a.pref64_lifetime % 8:
        log(f"PREF64 lifetime {a.pref64_lifetime}s is not a multiple of 8: "
            f"sending {pref64_scaled(a.pref64_lifetime) * 8}s")
    return a


def main():
    a = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    ifindex = socket.if_nametoindex(a.iface)
    with open(f"/sys/class/net/{a.iface}/address") as f:
        mac = bytes.fromhex(f.read().strip().replace(":", ""))

    deadline = time.monotonic() + a.wait
    while not has_usable_ll(ifindex):
        if time.monotonic() > deadline:
            log(f"{a.iface}: no usable link-local address after {a.wait}s")
            return 1
        time.sleep(0.05)

    s = open_socket(a.iface, ifindex)
    ra = build_ra(a, mac)
    dest = ("ff02::1", 0, 0, ifindex)
    desc = (f"iface={a.iface} prefix={','.join(map(str, a.prefix)) or '-'} "
            f"pref64={a.pref64 or '-'}/{a.pref64_lifetime}s "
            f"rdnss={','.join(map(str, a.rdnss)) or '-'} "
            f"rtr_lifetime={a.router_lifetime} pref={a.router_pref} mtu={a.mtu}"
            f"{' M' if a.managed else ''}{' O' if a.other else ''}"
            f"{' no-slaac' if a.no_autonomous else ''}")

    def send(why):
        # the link may be down for a moment (a test flaps it): say so and
        # go on, the next RA goes out when it is back
        try:
            s.sendto(ra, dest)
        except OSError as e:
            log(f"RA ({why}) not sent: {e.strerror}")
            return
        log(f"RA ({why}) {desc}")

    send("once" if a.once else "start")
    if a.once:
        return 0
    last = time.monotonic()
    next_periodic = last + a.interval
    while True:
        timeout = max(0.0, next_periodic - time.monotonic())
        ready, _, _ = select.select([s], [], [], timeout)
        now = time.monotonic()
        if ready:
            _data, src = s.recvfrom(1500)
            if a.no_rs:
                log(f"RS from {src[0]} ignored (--no-rs)")
            elif now - last < a.rs_min_delay:
                log(f"RS from {src[0]} ignored (RA sent {now - last:.3f}s ago)")
            else:
                send(f"RS from {src[0]}")
                last = now
        if now >= next_periodic:
            send("periodic")
            last = now
            next_periodic = now + a.interval


if __name__ == "__main__":
    sys.exit(main())
