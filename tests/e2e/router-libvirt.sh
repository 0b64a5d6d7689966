#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Virtual machines on an IPv6-only host: a guest behind virbr0 with the
# firewall rules libvirt sets for its default NAT network (lab.sh up
# --libvirt: scripts/lab/libvirt-rules.sh, forwarding rejected but for
# 192.168.122.0/24 out and established connections back, its MASQUERADE),
# and xlatd with one setting, decrement-ttl=no: the host forwards IPv4
# but not IPv6, and without it traceroute would count the host twice, once
# for the kernel and once for the translator. libvirt's MASQUERADE turns
# the guest's address into the CLAT's when its packets leave through the
# CLAT device: ping, HTTP, a checksummed download, UDP, a 3000-byte ping
# and a 4000-byte UDP echo, the path MTU, traceroute, a reload, SIGTERM,
# kill -9 and a restart, with the fast path and without
# (host_lan_checks).
. "$(dirname "$0")/lib/e2e.sh"
. "$E2E_LIB/router.sh"
e2e_need_root
e2e_xlatd_dir

lab_up --mode clat-alone --libvirt --mtu-1280 || exit 1
check_match "libvirt: the rules are libvirt's" \
	"-A LIBVIRT_PRT -s $VM_NET ! -d $VM_NET -j MASQUERADE" \
	"$(in_ns client iptables-save -t nat)"
host_lan_checks vm "libvirt, guest" decrement-ttl=no
summary
