#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Install what xlatd needs to build, test and run its demo on Debian 12.
# This list is the only place those packages are named.
set -euo pipefail

PACKAGES=(
	# build, and the Debian package
	meson ninja-build pkg-config gcc clang llvm libclang-rt-14-dev
	dpkg-dev debhelper lintian
	# libraries
	libpcap-dev libcmocka-dev libmnl-dev libbpf-dev bpftool
	libsystemd-dev libc-ares-dev libnftnl-dev libseccomp-dev
	# tests, lab and demo (TAYGA is the PLAT, unbound the DNS64)
	python3 python3-scapy tcpdump valgrind iproute2 util-linux
	tayga unbound nftables iperf3 curl bind9-dnsutils iputils-ping
	traceroute mandoc shellcheck iptables
	# DHCP in the lab: dnsmasq (DHCPv4), Kea (DHCPv6), dhcpcd as the
	# host's client (kea-dhcp6-server's own service listens on no
	# interface until configured)
	dnsmasq-base kea-dhcp6-server dhcpcd-base
)

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "setup-deps: all ${#PACKAGES[@]} packages are installed"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "setup-deps: missing ${missing[*]}; run as root (sudo $0)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${PACKAGES[@]}"
