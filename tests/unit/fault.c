/* SPDX-License-Identifier: BSD-2-Clause */
/* Fault injection by the linker's --wrap (fault.h). */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

#include "fault.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_reallocarray(void *p, size_t n, size_t size);
int __real_close(int fd);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_reallocarray(void *p, size_t n, size_t size);
int __wrap_close(int fd);

static unsigned fault_countdown; /* 0: disarmed */
static bool fault_failed;
static unsigned fault_closes;

void
fault_fail_alloc(unsigned n)
{
	fault_countdown = n;
	if (n != 0)
		fault_failed = false;
}

bool
fault_alloc_failed(void)
{
	return fault_failed;
}

unsigned
fault_bad_closes(void)
{
	return fault_closes;
}

/* Whether this allocation is the one to fail. */
static bool
fault_now(void)
{
	if (fault_countdown == 0 || --fault_countdown != 0)
		return false;
	fault_failed = true;
	errno = ENOMEM;
	return true;
}

void *
__wrap_malloc(size_t size)
{
	return fault_now() ? NULL : __real_malloc(size);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return fault_now() ? NULL : __real_calloc(n, size);
}

void *
__wrap_reallocarray(void *p, size_t n, size_t size)
{
	return fault_now() ? NULL : __real_reallocarray(p, n, size);
}

int
__wrap_close(int fd)
{
	int r = __real_close(fd);

	if ((r < 0 && errno == EBADF) || (fd >= 0 && fd <= 2))
		fault_closes++;
	return r;
}

unsigned
fault_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned n = 0;

	if (d == NULL)
		return 0;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	/* ".", ".." and the directory's own descriptor */
	return n - 3;
}
