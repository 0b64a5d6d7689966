#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Containers on an IPv6-only host: a container behind docker0 with
# Docker's own firewall rules (lab.sh up --docker: FORWARD policy drop,
# DOCKER-USER, DOCKER-ISOLATION, MASQUERADE of 172.17.0.0/16), and xlatd
# with one setting, decrement-ttl=no: the host forwards IPv4 but not
# IPv6, and without it traceroute would count the host twice, once for
# the kernel and once for the translator. Docker's MASQUERADE turns the
# container's address into the CLAT's when its packets leave through the
# CLAT device, and its FORWARD rules let docker0 out: ping, HTTP, a
# checksummed download, UDP, a 3000-byte ping and a 4000-byte UDP echo,
# the path MTU, traceroute, a reload, SIGTERM leaving Docker's rules and
# the forwarding sysctls as they were, kill -9 and a restart, with the
# fast path and without (host_lan_checks).
. "$(dirname "$0")/lib/e2e.sh"
. "$E2E_LIB/router.sh"
e2e_need_root
e2e_xlatd_dir

lab_up --mode clat-alone --docker --mtu-1280 || exit 1
host_lan_checks ctr "docker, container" decrement-ttl=no
summary
