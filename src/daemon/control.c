/* SPDX-License-Identifier: BSD-2-Clause */
/* Control socket: accept, read one line, answer, close; every client
 * non-blocking, in the event loop, with a deadline. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

/* Clients served at once; more wait in the listen backlog. */
#define CONTROL_CLIENTS_MAX 8
/* A client has this long to send its line and take the answer. */
#define CONTROL_DEADLINE_USEC (2 * 1000000ULL)

struct control;

struct control_client {
	struct control *c;
	int fd;
	sd_event_source *io, *deadline;
	char line[CONTROL_REQUEST_MAX];
	size_t used;
	char *reply; /* then the answer, being sent */
	size_t reply_len, sent;
};

struct control {
	sd_event *event;
	sd_event_source *source;
	int fd;
	control_handler handler;
	void *arg;
	struct control_client *clients[CONTROL_CLIENTS_MAX];
	unsigned n_clients;
};

static void
client_free(struct control_client *cl)
{
	struct control *c = cl->c;
	unsigned i;

	for (i = 0; i < c->n_clients; i++)
		if (c->clients[i] == cl) {
			c->clients[i] = c->clients[--c->n_clients];
			break;
		}
	sd_event_source_disable_unref(cl->io);
	sd_event_source_disable_unref(cl->deadline);
	close(cl->fd);
	free(cl->reply);
	free(cl);
	/* room again: take the next from the backlog */
	sd_event_source_set_enabled(c->source, SD_EVENT_ON);
}

/* The answer to the request: "ok\n" and the body, or "error <why>\n". */
static int
client_answer(struct control_client *cl, const struct request *req)
{
	char why[256] = "", *body = NULL;
	size_t body_len = 0;
	FILE *out;
	int r;

	if ((out = open_memstream(&body, &body_len)) == NULL)
		return -errno;
	r = cl->c->handler(req->command, req->param, out, why, sizeof(why),
			   cl->c->arg);
	if (fclose(out) != 0) {
		free(body);
		return -errno;
	}
	if (r < 0)
		r = asprintf(&cl->reply, "error %s\n", why);
	else
		r = asprintf(&cl->reply, "ok\n%.*s", (int)body_len, body);
	free(body);
	if (r < 0) {
		cl->reply = NULL;
		return -ENOMEM;
	}
	cl->reply_len = (size_t)r;
	return 0;
}

static void
client_bad_request(struct control_client *cl)
{
	free(cl->reply);
	cl->reply = strdup("error bad request\n");
	cl->reply_len = cl->reply != NULL ? strlen(cl->reply) : 0;
}

/* Read what came; on a whole request, make the answer. Returns false
 * when the client is to be dropped. */
static bool
client_read(struct control_client *cl)
{
	struct request req;
	ssize_t n;
	int r;

	n = recv(cl->fd, cl->line + cl->used, sizeof(cl->line) - cl->used,
		 MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	cl->used += (size_t)n;
	r = request_parse(cl->line, cl->used, &req);
	if (r == 1) {
		if (client_answer(cl, &req) < 0)
			return false;
	} else if (r < 0 || n == 0 || cl->used == sizeof(cl->line)) {
		client_bad_request(cl);
	} else {
		return true;
	}
	return sd_event_source_set_io_events(cl->io, EPOLLOUT) >= 0;
}

/* Send what the socket takes; false when done or failed. */
static bool
client_write(struct control_client *cl)
{
	ssize_t n;

	n = send(cl->fd, cl->reply + cl->sent, cl->reply_len - cl->sent,
		 MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	cl->sent += (size_t)n;
	return cl->sent < cl->reply_len;
}

static int
client_on_io(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct control_client *cl = arg;
	bool go_on;

	(void)s;
	(void)fd;
	(void)revents;
	go_on = cl->reply == NULL ? client_read(cl) : client_write(cl);
	if (!go_on)
		client_free(cl);
	return 0;
}

static int
client_on_deadline(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)s;
	(void)usec;
	client_free(arg);
	return 0;
}

static int
on_accept(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct control *c = arg;
	struct control_client *cl;
	int client, r;

	(void)revents;
	if (c->n_clients == CONTROL_CLIENTS_MAX) {
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
		return 0;
	}
	client = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (client < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("%s: accept", __func__);
		return 0;
	}
	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		close(client);
		return 0;
	}
	cl->c = c;
	cl->fd = client;
	c->clients[c->n_clients++] = cl;
	r = sd_event_add_io(c->event, &cl->io, client, EPOLLIN, client_on_io,
			    cl);
	if (r >= 0)
		r = sd_event_add_time_relative(
			c->event, &cl->deadline, CLOCK_MONOTONIC,
			CONTROL_DEADLINE_USEC, 0, client_on_deadline, cl);
	if (r < 0) {
		errno = -r;
		log_warn("%s: client", __func__);
		client_free(cl);
	}
	return 0;
}

/* Root only: the directory is 0755 and the socket 0600. */
int
control_listen(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char dir[sizeof(sun.sun_path)], *slash;
	mode_t old;
	int fd, r;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path); /* a socket left by an earlier run */
	old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (r < 0 || listen(fd, 8) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

struct control *
control_open(sd_event *event, int fd, control_handler handler, void *arg)
{
	struct control *c;
	int r;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->event = event;
	c->fd = fd;
	c->handler = handler;
	c->arg = arg;
	if ((r = sd_event_add_io(event, &c->source, c->fd, EPOLLIN, on_accept,
				 c)) < 0) {
		errno = -r;
		log_warn("control socket");
		free(c);
		return NULL;
	}
	return c;
}

void
control_close(struct control *c)
{
	if (c == NULL)
		return;
	while (c->n_clients > 0)
		client_free(c->clients[0]);
	sd_event_source_disable_unref(c->source);
	close(c->fd);
	free(c);
}
