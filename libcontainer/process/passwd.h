/* passwd.h - the entries of a passwd(5) file, read directly: berth is a
 * static binary without NSS, and the file that counts is sometimes the
 * container's (HOME for the workload), sometimes the host's (the owner a
 * container is listed with).
 *
 * A line is name:password:uid:gid:gecos:home:shell. It is an entry when it
 * has a name and its uid field is a decimal number that fits 32 bits; a
 * missing home reads as "". Other lines are skipped. */
#ifndef BERTH_PASSWD_H
#define BERTH_PASSWD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct passwd_entry {
	const char *name;
	uint32_t uid;
	const char *home; /* "" when the line has none */
};

/* Split `line` (changed in place; a trailing newline is dropped) into `e`,
 * whose strings point into it. false: the line is no entry. */
bool passwd_parse_line(char *line, struct passwd_entry *e);

struct passwd_file {
	FILE *f;
	char *line;
	size_t cap;
};

/* Open `path` for passwd_next. -1 with errno when it can't be read (a
 * missing file is the caller's to excuse). */
int passwd_open(struct passwd_file *pf, const char *path);
/* The next entry; its strings stay valid until the next call. false at the
 * end of the file. */
bool passwd_next(struct passwd_file *pf, struct passwd_entry *e);
void passwd_close(struct passwd_file *pf);

#endif
