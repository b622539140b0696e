/* mountinfo.h - /proc/self/mountinfo, read once into a table.
 *
 * A container start asks the mount table several questions (the host mount
 * of every cgroup hierarchy, the parent mount of the rootfs, which mount a
 * mount(2) just made). Reading the file once per step and answering from
 * memory keeps that to one read per step instead of one per question.
 * Paths are decoded ("\040" -> " ").
 *
 * Never: hand out a path as if it identified a mount. Callers that act on a
 * mount hold an fd and compare mount ids (statx STATX_MNT_ID) with the table. */
#ifndef BERTH_MOUNTINFO_H
#define BERTH_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "libcontainer/error.h"

struct mountinfo_entry {
	int id;		  /* as statx(STATX_MNT_ID) reports it */
	int parent;	  /* the mount this one is attached to */
	char *root;	  /* the directory of its filesystem the mount shows */
	char *mountpoint; /* relative to the reader's root */
	char *mount_opts; /* per-mount options: "rw,nosuid" */
	char *fstype;
	char *source;
	char *super_opts; /* superblock options: "rw,cpu,cpuacct" */
	bool shared;	  /* a "shared:N" tag: mounts below it propagate */
};

struct mountinfo {
	struct mountinfo_entry *entries;
	size_t n;
	char *text; /* the file's bytes; every string above points into it */
};

/* Parse mountinfo `text` (NUL-terminated; taken over, freed by
 * mountinfo_free even on error). Malformed lines are skipped. */
int mountinfo_parse(char *text, struct mountinfo *mi, struct berth_error *err);

/* Read and parse the calling process's /proc/self/mountinfo (through the
 * checked procfs). */
int mountinfo_read(struct mountinfo *mi, struct berth_error *err);

/* The entry with mount id `id`, or NULL. */
const struct mountinfo_entry *mountinfo_find_id(const struct mountinfo *mi, int id);

void mountinfo_free(struct mountinfo *mi);

#endif
