#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Containers on an IPv6-only host: a container behind docker0
# with Docker's own firewall rules (lab.sh up --docker: FORWARD policy
# drop, DOCKER-USER, DOCKER-ISOLATION, MASQUERADE of 172.17.0.0/16), and
# xlatd with no configuration at all. Docker's MASQUERADE turns the
# container's address into the CLAT's when its packets leave through the
# CLAT device, and its FORWARD rules let docker0 out: ping, HTTP, a
# checksummed download, UDP, a 3000-byte ping and a 4000-byte UDP echo
# from the container, on the fast path. xlatd leaves Docker's rules and
# the forwarding sysctls as they were.
. "$(dirname "$0")/lib/e2e.sh"
. "$E2E_LIB/router.sh"
e2e_need_root
e2e_xlatd_dir

lab_up --mode clat-alone --docker || exit 1
before=$(lab_cmd snapshot client)
xlatd_run "docker"
expect_traffic_from ctr "docker, container" "$SERVER4"
lan_fragments ctr "docker, container"
check_match "docker: the fast path took the container's packets" \
	'^[1-9][0-9]*$' "$(fast_packets)"
xlatd_stop_ok "docker"
check_eq "docker: Docker's rules and the sysctls are as they were" \
	"$before" "$(lab_cmd snapshot client)"
summary
