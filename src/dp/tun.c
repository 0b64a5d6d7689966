/* SPDX-License-Identifier: BSD-2-Clause */
/* The CLAT's TUN device (Documentation/networking/tuntap.rst). */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tun.h"

#define TUN_CLONE_DEV "/dev/net/tun"
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20 /* Linux 6.2; Debian 12's headers are 6.1 */
#define TUN_F_USO6 0x40
#endif

/* net.ipv6.conf.NAME.KEY = value; nothing to do without IPv6 in this
 * kernel (ipv6.disable=1). */
static int
tun_ipv6_sysctl(const char *name, const char *key, const char *value)
{
	char path[64 + IF_NAMESIZE];
	size_t len = strlen(value);
	ssize_t n;
	int fd, r = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", name,
		 key);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -errno;
	if ((n = write(fd, value, len)) != (ssize_t)len)
		r = n < 0 ? -errno : -EIO;
	close(fd);
	return r;
}

/* Our own device carries no IPv6 by default: without it the kernel
 * sends no router solicitations or MLD reports into it (ip-sysctl.rst,
 * disable_ipv6). With IPv6 on, it still gets no address
 * (addr_gen_mode 1: none, so no link-local and no solicitation). */
int
tun_ipv6(const char *name, bool on)
{
	int r;

	if (!on)
		return tun_ipv6_sysctl(name, "disable_ipv6", "1");
	if ((r = tun_ipv6_sysctl(name, "addr_gen_mode", "1")) < 0)
		return r;
	return tun_ipv6_sysctl(name, "disable_ipv6", "0");
}

/* Super-packets and partial checksums both ways (src/dp/gso.h). UDP
 * segmentation offload (USO, Linux 6.2) only where the kernel has it. */
static int
tun_offload(int fd)
{
	unsigned base = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;

	if (ioctl(fd, TUNSETOFFLOAD, base | TUN_F_USO4 | TUN_F_USO6) == 0 ||
	    ioctl(fd, TUNSETOFFLOAD, base) == 0)
		return 0;
	return -errno;
}

/* Open the clone device and attach to (or create) TUN device name with
 * flags tun_flags; *ifr is filled in. Returns the fd or -errno. */
static int
tun_attach(const char *name, short tun_flags, struct ifreq *ifr)
{
	int fd;

	if (strlen(name) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	if ((fd = open(TUN_CLONE_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
		return -errno;
	memset(ifr, 0, sizeof(*ifr));
	/* an empty name lets the kernel pick one (tun%d) */
	memcpy(ifr->ifr_name, name, strlen(name));
	ifr->ifr_flags = tun_flags;
	if (ioctl(fd, TUNSETIFF, ifr) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

int
tun_open_flags(const char *name, unsigned flags, unsigned *ifindex)
{
	struct ifreq ifr;
	int fd, r;

	fd = tun_attach(name, IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, &ifr);
	if (fd < 0)
		return fd;
	if ((r = tun_offload(fd)) < 0)
		goto fail;
	if (ioctl(fd, TUNGETIFF, &ifr) < 0) {
		r = -errno;
		goto fail;
	}
	/* An existing persistent device was attached to: make it ours, so
	 * that it goes away with this fd. */
	if (!(flags & TUN_OPEN_KEEP) && (ifr.ifr_flags & IFF_PERSIST) &&
	    ioctl(fd, TUNSETPERSIST, 0) < 0) {
		r = -errno;
		goto fail;
	}
	if ((*ifindex = if_nametoindex(ifr.ifr_name)) == 0) {
		r = -errno;
		goto fail;
	}
	if (!(flags & TUN_OPEN_KEEP) && (r = tun_ipv6(ifr.ifr_name, false)) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return r;
}

int
tun_open(const char *name, unsigned *ifindex)
{
	return tun_open_flags(name, 0, ifindex);
}

int
tun_set_persist(const char *name, bool persist)
{
	struct ifreq ifr;
	int fd, r = 0;

	if ((fd = tun_attach(name, IFF_TUN | IFF_NO_PI, &ifr)) < 0)
		return fd;
	if (ioctl(fd, TUNSETPERSIST, persist ? 1 : 0) < 0)
		r = -errno;
	close(fd);
	return r;
}
