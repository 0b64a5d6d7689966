#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Print the RA options the kernel passes to userspace (RTM_NEWNDUSEROPT).

The kernel hands PREF64 (type 38), RDNSS (25), DNSSEL (31) and captive
portal (37) options of accepted router advertisements to the netlink group
RTNLGRP_ND_USEROPT. This prints one line per option, e.g.

  iface=up0 src=fe80::1 type=38 pref64=2001:db8:64::/96 lifetime=600
  iface=up0 src=fe80::1 type=25 rdnss=2001:db8:1::53 lifetime=600

With --solicit IFACE it sends a router solicitation on IFACE once it is
listening, so the answer arrives at once. It exits after --count lines
with --type (default: any), --settle seconds after the first line, or
after --timeout seconds (status 1 if --count lines were not seen).
"""

import argparse
import ipaddress
import os
import select
import socket
import struct
import sys
import time

RTNLGRP_ND_USEROPT = 20
RTM_NEWNDUSEROPT = 68
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NDUSEROPT_SRCADDR = 1
NLMSG_HDR = struct.Struct("=IHHII")
NDUSEROPT_HDR = struct.Struct("=BBHiBBHI")      # struct nduseroptmsg, 16 bytes
PLC_LEN = {0: 96, 1: 64, 2: 56, 3: 48, 4: 40, 5: 32}


def describe(otype, body):
    """body = the option without its type and length octets."""
    if otype == 38 and len(body) >= 14:
        word, = struct.unpack("!H", body[:2])
        plen = PLC_LEN.get(word & 7)
        pfx = ipaddress.IPv6Address(body[2:14] + b"\0" * 4)
        return f"pref64={pfx}/{plen} lifetime={(word >> 3) * 8}"
    if otype == 25 and len(body) >= 22:
        life, = struct.unpack("!I", body[2:6])
        addrs = [str(ipaddress.IPv6Address(body[i:i + 16]))
                 for i in range(6, len(body) - 15, 16)]
        return f"rdnss={','.join(addrs)} lifetime={life}"
    return "data=" + body.hex()


def solicit(iface):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    idx = socket.if_nametoindex(iface)
    s.sendto(struct.pack("!BBHI", 133, 0, 0, 0), ("ff02::2", 0, 0, idx))
    s.close()


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--iface", help="only options received on IFACE")
    p.add_argument("--type", type=int, help="count only options of this type")
    p.add_argument("--count", type=int, default=0,
                   help="exit 0 after this many matching options (0: never)")
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--settle", type=float, metavar="S",
                   help="exit 0 S seconds after the first option printed "
                   "(the rest of that RA comes with it)")
    p.add_argument("--solicit", metavar="IFACE",
                   help="send a router solicitation on IFACE first")
    a = p.parse_args()

    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    nl.bind((0, 0))
    nl.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_ND_USEROPT)
    if a.solicit:
        solicit(a.solicit)
    want_idx = socket.if_nametoindex(a.iface) if a.iface else None
    deadline = time.monotonic() + a.timeout
    seen = 0
    settled = None
    while True:
        if settled is not None and time.monotonic() >= settled:
            return 0
        left = min(deadline, settled or deadline) - time.monotonic()
        if left <= 0:
            if settled is not None:
                return 0
            return 0 if a.count == 0 else 1
        if not select.select([nl], [], [], left)[0]:
            continue
        data = nl.recv(65536)
        off = 0
        while off + NLMSG_HDR.size <= len(data):
            mlen, mtype, _fl, _seq, _pid = NLMSG_HDR.unpack_from(data, off)
            if mlen < NLMSG_HDR.size:
                break
            msg = data[off + NLMSG_HDR.size:off + mlen]
            off += (mlen + 3) & ~3
            if mtype != RTM_NEWNDUSEROPT or len(msg) < NDUSEROPT_HDR.size:
                continue
            _fam, _p1, olen, idx, icmp_type, _c, _p2, _p3 = \
                NDUSEROPT_HDR.unpack_from(msg)
            if want_idx is not None and idx != want_idx:
                continue
            opts = msg[NDUSEROPT_HDR.size:NDUSEROPT_HDR.size + olen]
            src = "?"
            aoff = NDUSEROPT_HDR.size + ((olen + 3) & ~3)
            while aoff + 4 <= len(msg):
                alen, atype = struct.unpack_from("=HH", msg, aoff)
                if alen < 4:
                    break
                if atype == NDUSEROPT_SRCADDR and alen >= 20:
                    src = str(ipaddress.IPv6Address(msg[aoff + 4:aoff + 20]))
                aoff += (alen + 3) & ~3
            try:
                name = socket.if_indextoname(idx)
            except OSError:
                name = str(idx)
            ooff = 0
            while ooff + 2 <= len(opts):
                otype, units = opts[ooff], opts[ooff + 1]
                if units == 0:
                    break
                body = opts[ooff + 2:ooff + units * 8]
                ooff += units * 8
                print(f"iface={name} src={src} type={otype} "
                      f"{describe(otype, body)}", flush=True)
                if a.settle is not None and settled is None:
                    settled = time.monotonic() + a.settle
                if a.type is None or otype == a.type:
                    seen += 1
                    if a.count and seen >= a.count:
                        return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
