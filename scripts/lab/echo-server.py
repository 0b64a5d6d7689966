#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""UDP and TCP echo server (RFC 862) on one port, IPv4 and IPv6 (dual stack).

Each UDP datagram goes back to its sender unchanged; each TCP connection
gets back what it sends until it closes. Used by the lab's server.
"""

import argparse
import select
import socket
import struct
import sys
import threading


def dual(kind, port):
    s = socket.socket(socket.AF_INET6, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    return s


def tcp_echo(conn):
    with conn:
        conn.settimeout(60)
        try:
            while data := conn.recv(65536):
                conn.sendall(data)
        except OSError:
            pass


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=7)
    a = p.parse_args()
    udp = dual(socket.SOCK_DGRAM, a.port)
    udp.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
    tcp = dual(socket.SOCK_STREAM, a.port)
    tcp.listen(64)
    print(f"echo-server: UDP and TCP port {a.port}", file=sys.stderr,
          flush=True)
    while True:
        for s in select.select([udp, tcp], [], [])[0]:
            if s is udp:
                # Answer from the address the datagram was sent to (the
                # server has several), IPv4-mapped for IPv4.
                data, anc, _fl, peer = udp.recvmsg(65536, 256)
                src = [d for lvl, typ, d in anc if lvl == socket.IPPROTO_IPV6
                       and typ == socket.IPV6_PKTINFO]
                cmsg = [(socket.IPPROTO_IPV6, socket.IPV6_PKTINFO,
                         src[0][:16] + struct.pack("=I", 0))] if src else []
                udp.sendmsg([data], cmsg, 0, peer)
            else:
                conn, _ = tcp.accept()
                threading.Thread(target=tcp_echo, args=(conn,),
                                 daemon=True).start()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
