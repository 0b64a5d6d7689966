/* SPDX-License-Identifier: BSD-2-Clause */
/* A per-host secret: stable addresses across restarts, unlinkable across
 * hosts (RFC 7217 §5, "secret_key"). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "secret.h"

static bool
read_exact(const char *path, uint8_t *buf, size_t len)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, buf, len);
	close(fd);
	return n == (ssize_t)len;
}

static bool
write_new(const char *path, const uint8_t *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	n = write(fd, buf, len);
	if (close(fd) < 0 || n != (ssize_t)len) {
		unlink(path);
		return false;
	}
	return true;
}

void
secret_load(const char *dir, uint8_t secret[CLAT_SECRET_LEN])
{
	char path[512];

	snprintf(path, sizeof(path), "%s/secret", dir);
	if (read_exact(path, secret, CLAT_SECRET_LEN))
		return;
	if (getrandom(secret, CLAT_SECRET_LEN, 0) != CLAT_SECRET_LEN)
		fatal("getrandom");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		log_warn("%s: cannot create it, CLAT addresses will change at "
			 "each start",
			 dir);
	else if (!write_new(path, secret, CLAT_SECRET_LEN) &&
		 !read_exact(path, secret, CLAT_SECRET_LEN))
		log_warn("%s: cannot save the secret, CLAT addresses will "
			 "change at each start",
			 path);
}
