/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: a tayga.conf through src/siit/tayga_conf, one
 * tayga_conf_line() a line, then tayga_conf_finish(); the lines after a
 * line "%%" are a map-file, read as xlat-siit reads it on SIGHUP. An
 * accepted configuration must be one xlat-siit can run: its own checks
 * hold, the core's settings made from it pass fuzz-cfg's checks, and UDP
 * packets go through them.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-cfg.h"
#include "fuzz.h"
#include "siit/tayga_conf.h"

#define ERR_MAX 512
#define MAP_FILE_MARK "%%"

static void
check_conf(const struct tayga_conf *c)
{
	unsigned i;

	if (c->n_conf_maps > c->n_maps || c->n_maps > TAYGA_MAPS_MAX)
		abort();
	if (memchr(c->tun_device, '\0', sizeof(c->tun_device)) == NULL ||
	    c->tun_device[0] == '\0' || !c->has_ipv6_addr ||
	    c->offlink_mtu < XLAT_IPV6_MIN_MTU)
		abort();
	if (c->has_prefix && !xlat_prefix6_valid(&c->prefix))
		abort();
	if (c->has_pool && c->pool.len > 31)
		abort();
	if (c->map_file[0] != '\0' && c->map_file[0] != '/')
		abort(); /* made absolute by tayga_conf_finish */
	for (i = 0; i < c->n_maps; i++) {
		const struct tayga_map *m = &c->maps[i];

		/* RFC 7757 §3.2 */
		if (m->p4.len > 32 || m->p6.len > 128 ||
		    128 - m->p6.len < 32 - m->p4.len)
			abort();
	}
}

static void
accepted(const struct tayga_conf *c)
{
	static struct xlat_cfg x;
	char err[ERR_MAX] = "";

	check_conf(c);
	if (!tayga_conf_xlat(c, &x, err, sizeof(err))) {
		fuzz_cfg_check_err(-1, err, sizeof(err));
		return;
	}
	fuzz_cfg_check(&x);
	fuzz_cfg_translate(&x);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tayga_conf conf;
	char err[ERR_MAX];
	char *text, *line, *next;
	unsigned lineno = 0;
	bool map_file = false, ok = true;
	int r;

	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	tayga_conf_init(&conf);
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		err[0] = '\0';
		if (!map_file && strcmp(line, MAP_FILE_MARK) == 0) {
			r = tayga_conf_finish(&conf, "fuzz.conf", err,
					      sizeof(err));
			fuzz_cfg_check_err(r, err, sizeof(err));
			if ((ok = r == 0))
				accepted(&conf);
			map_file = true;
			lineno = 0;
			continue;
		}
		lineno++;
		/* Both forms of the error prefix: with and without a file. */
		if (!map_file)
			r = tayga_conf_line(&conf, line, lineno,
					    lineno & 1 ? "fuzz.conf" : NULL,
					    err, sizeof(err));
		else if (ok)
			r = tayga_conf_map_line(&conf, line, lineno, "maps",
						err, sizeof(err));
		else
			r = 0;
		fuzz_cfg_check_err(r, err, sizeof(err));
	}
	free(text);
	err[0] = '\0';
	if (!map_file)
		r = tayga_conf_finish(&conf, "fuzz.conf", err, sizeof(err));
	else if (ok)
		r = tayga_conf_maps_finish(&conf, "maps", err, sizeof(err));
	else
		return 0;
	fuzz_cfg_check_err(r, err, sizeof(err));
	if (r == 0)
		accepted(&conf);
	return 0;
}
