/* SPDX-License-Identifier: BSD-2-Clause */
/* Asking the running daemon: one request, one answer. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "client.h"
#include "subcommands.h"
#include "xlatd/control.h"

static int
connect_to(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int
client_request(const char *path, const char *command, bool json)
{
	char buf[4096], req[CONTROL_REQUEST_MAX];
	bool header = true, ok = false;
	ssize_t n;
	int fd, len;

	if ((fd = connect_to(path)) < 0) {
		warn("cannot reach xlatd at %s", path);
		return 2;
	}
	len = snprintf(req, sizeof(req), "%s%s\n", command,
		       json ? " json" : "");
	if (write(fd, req, (size_t)len) != len) {
		warn("%s", path);
		close(fd);
		return 2;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		const char *body = buf;
		size_t blen = (size_t)n;

		if (header) {
			char *nl = memchr(buf, '\n', blen);

			if (nl == NULL)
				break;
			*nl = '\0';
			ok = strcmp(buf, "ok") == 0;
			if (!ok)
				warnx("%s", strncmp(buf, "error ", 6) == 0
						    ? buf + 6
						    : buf);
			header = false;
			body = nl + 1;
			blen -= (size_t)(body - buf);
		}
		fwrite(body, 1, blen, ok ? stdout : stderr);
	}
	close(fd);
	if (header) {
		warnx("no answer from xlatd");
		return 2;
	}
	return ok ? 0 : 1;
}

static void
client_usage(FILE *f, const char *command, bool json_allowed,
	     const char *const *words)
{
	unsigned i;

	fprintf(f, "xlatctl %s%s [-s SOCKET]", command,
		json_allowed ? " [-j]" : "");
	for (i = 0; words != NULL && words[i] != NULL; i++)
		fprintf(f, "%s%s", i ? "|" : " ", words[i]);
	fputc('\n', f);
	fprintf(f,
		"  -s, --socket=SOCKET  xlatd's control socket (default "
		"%s)\n",
		CONTROL_SOCKET_PATH);
	if (json_allowed)
		fprintf(f, "  -j, --json           one line of JSON instead "
			   "of a table\n");
}

/* The entry of words that arg names, or NULL. */
static const char *
client_word(const char *arg, const char *const *words)
{
	unsigned i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(arg, words[i]) == 0)
			return words[i];
	return NULL;
}

int
client_main_word(int argc, char *argv[], const char *command, bool json_allowed,
		 const char *const *words)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"socket", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *path = CONTROL_SOCKET_PATH, *word = NULL;
	char request[CONTROL_REQUEST_MAX];
	bool json = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "js:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 's':
			path = optarg;
			break;
		case 'h':
			client_usage(stdout, command, json_allowed, words);
			return 0;
		default:
			return 2;
		}
	}
	if (words != NULL && optind + 1 == argc)
		word = client_word(argv[optind++], words);
	if (optind != argc || (json && !json_allowed) ||
	    (words != NULL && word == NULL)) {
		client_usage(stderr, command, json_allowed, words);
		return 2;
	}
	snprintf(request, sizeof(request), "%s%s%s", command, word ? " " : "",
		 word ? word : "");
	return client_request(path, request, json);
}

int
client_main(int argc, char *argv[], const char *command, bool json_allowed)
{
	return client_main_word(argc, argv, command, json_allowed, NULL);
}
