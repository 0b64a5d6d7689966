/* SPDX-License-Identifier: BSD-2-Clause */
/* Control socket: accept, read one line, answer, close. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "common/log.h"
#include "request.h"
#include "xlatd/control.h"

struct control {
	sd_event_source *source;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	control_handler handler;
	void *arg;
};

/* A client has a second to send its one line. */
static bool
read_request(int fd, struct request *req)
{
	struct timeval tv = {1, 0};
	char buf[CONTROL_REQUEST_MAX];
	size_t used = 0;
	ssize_t n;
	int r = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (r == 0 && used < sizeof(buf)) {
		n = read(fd, buf + used, sizeof(buf) - used);
		if (n <= 0)
			return false;
		used += (size_t)n;
		r = request_parse(buf, used, req);
	}
	return r == 1;
}

static void
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void
serve(struct control *c, int fd)
{
	char why[256] = "", *body = NULL;
	struct request req;
	size_t body_len = 0;
	FILE *out;

	if (!read_request(fd, &req)) {
		write_all(fd, "error bad request\n", 18);
		return;
	}
	if ((out = open_memstream(&body, &body_len)) == NULL)
		return;
	if (c->handler(req.command, req.json, out, why, sizeof(why), c->arg) <
	    0) {
		fclose(out);
		free(body);
		dprintf(fd, "error %s\n", why);
		return;
	}
	fclose(out);
	write_all(fd, "ok\n", 3);
	write_all(fd, body, body_len);
	free(body);
}

static int
on_accept(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct control *c = arg;
	int client;

	(void)s;
	(void)revents;
	client = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (client < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("%s: accept", __func__);
		return 0;
	}
	serve(c, client);
	close(client);
	return 0;
}

/* Root only: the directory is 0755 and the socket 0600. */
struct control *
control_open(sd_event *event, const char *path, control_handler handler,
	     void *arg)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct control *c;
	char dir[sizeof(sun.sun_path)], *slash;
	mode_t old;
	int r;

	if (strlen(path) >= sizeof(sun.sun_path) ||
	    (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->handler = handler;
	c->arg = arg;
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		goto fail;
	unlink(path); /* a socket left by an earlier run */
	old = umask(0177);
	r = bind(c->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (r < 0 || listen(c->fd, 8) < 0)
		goto fail;
	if ((r = sd_event_add_io(event, &c->source, c->fd, EPOLLIN, on_accept,
				 c)) < 0) {
		errno = -r;
		goto fail;
	}
	return c;
fail:
	log_warn("control socket %s", path);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return NULL;
}

void
control_close(struct control *c)
{
	if (c == NULL)
		return;
	sd_event_source_disable_unref(c->source);
	close(c->fd);
	unlink(c->path);
	free(c);
}
