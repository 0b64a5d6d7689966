#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Print the eBPF programs at the tcx ingress of IFACE, one line each:

  prog=ID name=NAME clat_v6=ADDR tun_ifindex=N enabled=0|1

(clat_v6 and the rest from the program's clat_cfg map, when it has one,
read by field name through BTF).
bpftool 7.1 knows nothing of tcx, so the ids come from BPF_PROG_QUERY
here; bpftool reads the programs and maps. Run it in the namespace of
IFACE. Standard library only; x86_64 and aarch64.

  bpf-attach.py --ids IFACE     the program ids alone, one a line
  bpf-attach.py --count IFACE   how many programs there are"""
import ctypes
import json
import os
import platform
import socket
import struct
import subprocess
import sys

SYS_BPF = {"x86_64": 321, "aarch64": 280}[platform.machine()]
BPF_PROG_QUERY = 16
BPF_TCX_INGRESS = 46


def tcx_ids(ifindex):
    libc = ctypes.CDLL(None, use_errno=True)
    ids = (ctypes.c_uint32 * 64)()
    attr = ctypes.create_string_buffer(128)
    struct.pack_into("IIII", attr, 0, ifindex, BPF_TCX_INGRESS, 0, 0)
    struct.pack_into("QI", attr, 16, ctypes.addressof(ids), 64)
    if libc.syscall(SYS_BPF, BPF_PROG_QUERY, attr, 128) < 0:
        sys.exit("BPF_PROG_QUERY: " + os.strerror(ctypes.get_errno()))
    return [ids[i] for i in range(struct.unpack_from("I", attr, 24)[0])]


def bpftool(*args):
    out = subprocess.run(["bpftool", "-j", *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    mode = sys.argv[1] if len(sys.argv) > 2 else None
    ids = tcx_ids(socket.if_nametoindex(sys.argv[-1]))
    if mode == "--count":
        print(len(ids))
        return
    if mode == "--ids":
        for pid in ids:
            print(pid)
        return
    for pid in ids:
        prog = bpftool("prog", "show", "id", str(pid))
        line = "prog=%d name=%s" % (pid, prog.get("name", "?"))
        for mid in prog.get("map_ids", []):
            if bpftool("map", "show", "id", str(mid)).get("name") != \
                    "clat_cfg":
                continue
            # By field name (BTF), so a longer struct xlat_maps_cfg
            # still reads right.
            v = bpftool("map", "dump", "id", str(mid))[0]["formatted"][
                "value"]
            line += " clat_v6=%s tun_ifindex=%d enabled=%d" % (
                socket.inet_ntop(socket.AF_INET6,
                                 struct.pack("=4I", *v["clat_v6"])),
                v["tun_ifindex"], v["enabled"])
        print(line)


main()
