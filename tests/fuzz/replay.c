/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Replays a corpus through a fuzz target without libFuzzer, so that any
 * compiler can run the seeds and regression inputs as an ordinary test.
 * Arguments are files or directories (one level deep); a directory after
 * -m may be missing (a target without regression inputs yet). A broken
 * invariant abort()s, as it does under libFuzzer.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* libFuzzer's default -max_len is smaller; the targets take any size. */
#define REPLAY_MAX (1 << 20)

static int
replay_file(const char *path)
{
	static uint8_t data[REPLAY_MAX];
	FILE *f;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(data, 1, sizeof(data), f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "replay: %s: unreadable or too large\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, n);
	return 0;
}

/* Returns the number of inputs run, or -1. */
static int
replay_path(const char *path, bool may_miss)
{
	struct dirent *de;
	struct stat st;
	char sub[4096];
	int count = 0;
	DIR *d;

	if (stat(path, &st) == -1) {
		if (errno == ENOENT && may_miss)
			return 0;
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) == 0 ? 1 : -1;
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (stat(sub, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(sub) == -1) {
			closedir(d);
			return -1;
		}
		count++;
	}
	closedir(d);
	return count;
}

int
main(int argc, char **argv)
{
	int i, n, total = 0;
	bool may_miss;

	if (argc < 2) {
		fprintf(stderr, "usage: %s [[-m] FILE|DIR]...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		may_miss = strcmp(argv[i], "-m") == 0 && i + 1 < argc;
		if (may_miss)
			i++;
		if ((n = replay_path(argv[i], may_miss)) == -1)
			return 1;
		printf("replay: %s: %d inputs\n", argv[i], n);
		total += n;
	}
	printf("replay: %d inputs, no invariant broken\n", total);
	return 0;
}
