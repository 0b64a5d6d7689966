#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Docker's firewall rules, as docker.io 20.10 (Debian 12) sets them for
# its default bridge through iptables-nft, in network namespace NS: the
# FORWARD policy of drop, the DOCKER, DOCKER-USER and DOCKER-ISOLATION
# chains, and the MASQUERADE of 172.17.0.0/16 to anything but docker0.
# The lab (--docker) and tests/nft/test-nat44 use it, so xlatd's own
# table is tested next to exactly these rules.
#
#   docker-rules.sh NS
set -euo pipefail

[ $# -eq 1 ] || {
	echo "usage: $0 NS" >&2
	exit 2
}
ns=$1

ipt() {
	ip netns exec "$ns" iptables-nft "$@"
}

ipt -N DOCKER
ipt -N DOCKER-ISOLATION-STAGE-1
ipt -N DOCKER-ISOLATION-STAGE-2
ipt -N DOCKER-USER
ipt -P FORWARD DROP
ipt -A FORWARD -j DOCKER-USER
ipt -A FORWARD -j DOCKER-ISOLATION-STAGE-1
ipt -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED \
	-j ACCEPT
ipt -A FORWARD -o docker0 -j DOCKER
ipt -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
ipt -A FORWARD -i docker0 -o docker0 -j ACCEPT
ipt -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 \
	-j DOCKER-ISOLATION-STAGE-2
ipt -A DOCKER-ISOLATION-STAGE-1 -j RETURN
ipt -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
ipt -A DOCKER-ISOLATION-STAGE-2 -j RETURN
ipt -A DOCKER-USER -j RETURN
ipt -t nat -N DOCKER
ipt -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL \
	-j DOCKER
ipt -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
ipt -t nat -A DOCKER -i docker0 -j RETURN
