/* mount_options.h - the table of mount option names and what each one means.
 *
 * One sorted table (looked up with bsearch) holds every option runc and crun
 * accept in config.json "mounts[].options": MS_* flags and their negations,
 * bind/rbind, propagation, recursive attributes set with mount_setattr
 * (AT_RECURSIVE), and berth-handled extensions (tmpcopyup, idmap...).
 * `berth features` prints exactly this table as mountOptions. An option not
 * in the table is a filesystem data option ("size=64m", "mode=755") and is
 * passed through to the filesystem.
 *
 * Never: make a syscall. This module only turns strings into numbers. */
#ifndef BERTH_MOUNT_OPTIONS_H
#define BERTH_MOUNT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/error.h"

enum mount_option_kind {
	MOPT_SET,	  /* set MS_* bits in mount(2) flags */
	MOPT_CLEAR,	  /* clear MS_* bits */
	MOPT_PROPAGATION, /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE (|MS_REC) */
	MOPT_REC_SET,	  /* mount_setattr AT_RECURSIVE attr_set MOUNT_ATTR_* */
	MOPT_REC_CLEAR,	  /* mount_setattr AT_RECURSIVE attr_clr MOUNT_ATTR_* */
	MOPT_REC_ATIME,	  /* mount_setattr AT_RECURSIVE atime mode (value: MOUNT_ATTR_*ATIME) */
	MOPT_EXTENSION,	  /* handled by berth itself: value is a MOPT_EXT_* bit */
};

/* MOPT_EXTENSION values */
#define MOPT_EXT_TMPCOPYUP    0x01u /* copy the destination's old content into a new tmpfs */
#define MOPT_EXT_IDMAP	      0x02u /* idmapped bind mount (top mount only) */
#define MOPT_EXT_RIDMAP	      0x04u /* idmapped bind mount, recursively */
#define MOPT_EXT_COPY_SYMLINK 0x08u /* crun: source is a symlink: create the same symlink */
#define MOPT_EXT_SRC_NOFOLLOW 0x10u /* crun: bind the source symlink itself */
#define MOPT_EXT_DST_NOFOLLOW 0x20u /* crun: mount on the destination symlink itself */
#define MOPT_EXT_NOCOPYUP     0x40u /* crun: cancels tmpcopyup */

struct mount_option {
	const char *name;
	enum mount_option_kind kind;
	uint64_t value; /* MS_* bits, MOUNT_ATTR_* bits or MOPT_EXT_* */
};

/* The whole table, sorted by name (strcmp order). */
const struct mount_option *mount_options_table(size_t *n);
/* NULL when `name` is not in the table (then it is a data option). */
const struct mount_option *mount_option_lookup(const char *name);

#define MOUNT_MAX_PROPAGATION 4

/* The options of one mount, folded. */
struct mount_opts {
	unsigned long flags; /* MS_* to pass to mount(2) (MS_BIND/MS_REC included) */
	unsigned long clear; /* MS_* explicitly negated (ro then rw, or locked-flag logic) */
	unsigned long propagation[MOUNT_MAX_PROPAGATION]; /* in the order given */
	size_t n_propagation;
	uint64_t attr_set; /* MOUNT_ATTR_* for mount_setattr(AT_RECURSIVE) */
	uint64_t attr_clr;
	unsigned extensions; /* MOPT_EXT_* */
	char *data;	     /* comma-joined unknown options, NULL when none; free() it */
};

/* Fold `opts` in order (a later option overrides an earlier one). */
int mount_opts_parse(char *const *opts, size_t n, struct mount_opts *out, struct berth_error *err);
void mount_opts_free(struct mount_opts *o);

#endif
