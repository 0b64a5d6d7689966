#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# What libvirt 9.0 (Debian 12) puts in the firewall for its default
# network (/usr/share/libvirt/networks/default.xml: bridge virbr0,
# 192.168.122.1/24, <forward/> i.e. NAT, a DHCP range) when it starts it,
# through iptables (iptables-nft on Debian 12), in network namespace NS:
# its private chains hooked into INPUT, FORWARD, OUTPUT and the nat and
# mangle POSTROUTING chains, for IPv4 and IPv6; for virbr0, DNS and DHCP
# to the host, what leaves the bridge from its /24 accepted, what comes
# in accepted only for established connections, the rest rejected, and
# the /24 masqueraded to anything but itself (TCP and UDP to ports 1024
# and up), multicast and broadcast left alone. The DHCP checksum fix-up
# in mangle is tried and its failure ignored, as libvirt does. It also
# turns IPv4 forwarding on, as libvirt does for a NAT network. The lab
# (--libvirt) uses it.
#
#   libvirt-rules.sh NS
set -euo pipefail

[ $# -eq 1 ] || {
	echo "usage: $0 NS" >&2
	exit 2
}
ns=$1
br=virbr0
net=192.168.122.0/24

ipt() {
	ip netns exec "$ns" iptables-nft "$@"
}

# the private chains, for both families, hooked in at the top
for t in iptables-nft ip6tables-nft; do
	x() { ip netns exec "$ns" "$t" "$@"; }
	for c in LIBVIRT_INP LIBVIRT_OUT LIBVIRT_FWO LIBVIRT_FWI LIBVIRT_FWX; do
		x -N "$c"
	done
	x -I INPUT 1 -j LIBVIRT_INP
	x -I OUTPUT 1 -j LIBVIRT_OUT
	x -I FORWARD 1 -j LIBVIRT_FWO
	x -I FORWARD 1 -j LIBVIRT_FWI
	x -I FORWARD 1 -j LIBVIRT_FWX
	for tb in nat mangle; do
		x -t "$tb" -N LIBVIRT_PRT
		x -t "$tb" -I POSTROUTING 1 -j LIBVIRT_PRT
	done
done

# DNS and DHCP between the bridge and the host
for p in udp tcp; do
	ipt -I LIBVIRT_INP 1 -i "$br" -p "$p" --dport 67 -j ACCEPT
	ipt -I LIBVIRT_INP 1 -i "$br" -p "$p" --dport 53 -j ACCEPT
	ipt -I LIBVIRT_OUT 1 -o "$br" -p "$p" --dport 68 -j ACCEPT
	ipt -I LIBVIRT_OUT 1 -o "$br" -p "$p" --dport 53 -j ACCEPT
done
# forwarding: reject by default, guests among themselves allowed
ipt -A LIBVIRT_FWO -i "$br" -j REJECT --reject-with icmp-port-unreachable
ipt -A LIBVIRT_FWI -o "$br" -j REJECT --reject-with icmp-port-unreachable
ipt -A LIBVIRT_FWX -i "$br" -o "$br" -j ACCEPT
# NAT: out from the /24, back in for established connections
ipt -I LIBVIRT_FWO 1 -s "$net" -i "$br" -j ACCEPT
ipt -I LIBVIRT_FWI 1 -d "$net" -o "$br" -m conntrack \
	--ctstate RELATED,ESTABLISHED -j ACCEPT
ipt -t nat -I LIBVIRT_PRT 1 -s "$net" ! -d "$net" -j MASQUERADE
ipt -t nat -I LIBVIRT_PRT 1 -s "$net" ! -d "$net" -p udp -j MASQUERADE \
	--to-ports 1024-65535
ipt -t nat -I LIBVIRT_PRT 1 -s "$net" ! -d "$net" -p tcp -j MASQUERADE \
	--to-ports 1024-65535
ipt -t nat -I LIBVIRT_PRT 1 -s "$net" -d 255.255.255.255/32 -j RETURN
ipt -t nat -I LIBVIRT_PRT 1 -s "$net" -d 224.0.0.0/24 -j RETURN
# DHCP replies to the guests get a checksum, where the kernel can
ipt -t mangle -A LIBVIRT_PRT -o "$br" -p udp --dport 68 \
	-j CHECKSUM --checksum-fill 2>/dev/null || true
ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
