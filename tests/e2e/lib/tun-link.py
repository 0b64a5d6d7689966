#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A point-to-point link without a link layer between two namespaces:

  tun-link.py NETNS_A NETNS_B NAME

makes a TUN device NAME in each of the two named network namespaces
(ARPHRD_NONE, IFF_POINTOPOINT | IFF_NOARP: the kind of device WireGuard
and PPP make, with no Neighbor Discovery and no header in front of IP)
and copies every packet one sends to the other. It prints "ready" once
both exist, and runs until it is killed; the devices go with it.
Standard library only."""
import ctypes
import fcntl
import os
import select
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000
LIBC = ctypes.CDLL(None, use_errno=True)


def enter(netns):
    fd = os.open("/run/netns/" + netns, os.O_RDONLY)
    if LIBC.setns(fd, CLONE_NEWNET) != 0:
        sys.exit("setns %s: %s" % (netns, os.strerror(ctypes.get_errno())))
    os.close(fd)


def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF,
                struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    ns_a, ns_b, name = sys.argv[1:4]
    enter(ns_a)
    a = tun(name)
    enter(ns_b)
    b = tun(name)
    print("ready", flush=True)
    peer = {a: b, b: a}
    while True:
        for fd in select.select([a, b], [], [])[0]:
            try:
                os.write(peer[fd], os.read(fd, 65535))
            except OSError:
                # a link that is down drops, as a wire would
                pass


if __name__ == "__main__":
    main()
