/* mountinfo.c - parsing "id parent maj:min root mountpoint opts [tags...] -
 * fstype source superopts" lines in place: fields are cut with NULs and the
 * octal escapes the kernel writes for space, tab, newline and backslash are
 * decoded where they stand (a decoded field is never longer). */
#include "mountinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "procfs.h"
#include "libcontainer/readall.h"

#define MOUNTINFO_FIELDS_MAX 64 /* 10 fixed fields plus optional tags */

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* "\040" -> ' ', in place. */
static void unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r;) {
		if (r[0] == '\\' && is_octal(r[1]) && is_octal(r[2]) && is_octal(r[3])) {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

static bool parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > INT32_MAX)
		return false;
	*out = (int)v;
	return true;
}

/* One line, cut in place; false when it is not a mountinfo line. */
static bool parse_line(char *line, struct mountinfo_entry *e)
{
	char *f[MOUNTINFO_FIELDS_MAX];
	size_t n = 0, sep = 0;

	for (char *save = NULL, *t = strtok_r(line, " ", &save); t && n < MOUNTINFO_FIELDS_MAX;
	     t = strtok_r(NULL, " ", &save))
		f[n++] = t;
	/* the optional tags end at the first "-" after the six fixed fields */
	for (size_t i = 6; i < n && !sep; i++)
		if (strcmp(f[i], "-") == 0)
			sep = i;
	if (!sep || n < sep + 4)
		return false;
	if (!parse_int(f[0], &e->id) || !parse_int(f[1], &e->parent))
		return false;
	e->shared = false;
	for (size_t i = 6; i < sep; i++)
		if (strncmp(f[i], "shared:", 7) == 0)
			e->shared = true;
	e->root = f[3];
	e->mountpoint = f[4];
	e->mount_opts = f[5];
	e->fstype = f[sep + 1];
	e->source = f[sep + 2];
	e->super_opts = f[sep + 3];
	unescape(e->root);
	unescape(e->mountpoint);
	unescape(e->source);
	return true;
}

int mountinfo_parse(char *text, struct mountinfo *mi, struct berth_error *err)
{
	size_t cap = 0;

	memset(mi, 0, sizeof(*mi));
	mi->text = text;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		struct mountinfo_entry e;
		if (!parse_line(l, &e))
			continue;
		if (mi->n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct mountinfo_entry *ne = realloc(mi->entries, ncap * sizeof(*ne));
			if (!ne)
				return berr_sys(err, ENOMEM, "mountinfo");
			mi->entries = ne;
			cap = ncap;
		}
		mi->entries[mi->n++] = e;
	}
	return 0;
}

int mountinfo_read(struct mountinfo *mi, struct berth_error *err)
{
	_cleanup_close_ int fd = procfs_openat(-1, "self/mountinfo", O_RDONLY, err);
	char *buf;
	size_t len;

	memset(mi, 0, sizeof(*mi));
	if (fd < 0)
		return berr_prefix(err, "mountinfo");
	if (read_all_fd(fd, 16384, 0, &buf, &len) < 0)
		return berr_sys(err, errno, "read /proc/self/mountinfo");
	return mountinfo_parse(buf, mi, err);
}

const struct mountinfo_entry *mountinfo_find_id(const struct mountinfo *mi, int id)
{
	for (size_t i = 0; i < mi->n; i++)
		if (mi->entries[i].id == id)
			return &mi->entries[i];
	return NULL;
}

void mountinfo_free(struct mountinfo *mi)
{
	free(mi->entries);
	free(mi->text);
	memset(mi, 0, sizeof(*mi));
}
