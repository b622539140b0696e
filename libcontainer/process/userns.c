/* userns.c - id maps for a new user namespace, time namespace offsets. */
#include "userns.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/rootfs/rootfs.h"

bool userns_is_nested(void)
{
	unsigned long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	int n;

	if (!f)
		return false;
	n = fscanf(f, "%lu %lu %lu", &inside, &outside, &count);
	fclose(f);
	return !(n == 3 && inside == 0 && outside == 0 && count == 4294967295UL);
}

int userns_format_map(const struct berth_id_mapping *m, size_t n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + off, len - off, "%u %u %u\n", m[i].container_id,
				 m[i].host_id, m[i].size);
		if (w < 0 || (size_t)w >= len - off)
			return -1;
		off += (size_t)w;
	}
	return (int)off;
}

/* newuidmap PID cid hid size ... : the setuid helper checks /etc/subuid. */
static int run_idmap_tool(const char *tool, pid_t pid, const struct berth_id_mapping *m, size_t n,
			  struct berth_error *err)
{
	char *argv[3 + 3 * 64 + 1];
	char nums[3 * 64 + 1][16];
	size_t a = 0, k = 0;
	int status;
	pid_t child;

	if (n > 64)
		return berr_set(err, "%s: too many mappings (%zu)", tool, n);
	argv[a++] = (char *)tool;
	snprintf(nums[k], sizeof(nums[k]), "%d", (int)pid);
	argv[a++] = nums[k++];
	for (size_t i = 0; i < n; i++) {
		uint32_t v[3] = {m[i].container_id, m[i].host_id, m[i].size};
		for (int j = 0; j < 3; j++) {
			snprintf(nums[k], sizeof(nums[k]), "%u", v[j]);
			argv[a++] = nums[k++];
		}
	}
	argv[a] = NULL;
	child = fork();
	if (child < 0)
		return berr_sys(err, errno, "fork %s", tool);
	if (child == 0) {
		execvp(tool, argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return berr_sys(err, errno, "wait for %s", tool);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return berr_set(err,
				"%s not found: install the uidmap package to map ranges of "
				"ids for a non-root user",
				tool);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return berr_set(
		    err, "%s failed (exit %d): does the caller have a range in /etc/sub%cid?", tool,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		    strcmp(tool, "newuidmap") == 0 ? 'u' : 'g');
	return 0;
}

static bool is_own_single_id(const struct berth_id_mapping *m, size_t n, uint32_t own)
{
	return n == 1 && m[0].size == 1 && m[0].host_id == own;
}

static int write_one(pid_t pid, int procfd, const char *file, const struct berth_id_mapping *m,
		     size_t n, struct berth_error *err)
{
	char buf[4096], rel[64];

	if (userns_format_map(m, n, buf, sizeof(buf)) < 0)
		return berr_set(err, "linux.%cidMappings: too many entries", file[0]);
	snprintf(rel, sizeof(rel), "%d/%s", (int)pid, file);
	return procfs_write(procfd, rel, buf, err);
}

int userns_write_maps(pid_t pid, const struct berth_spec *spec, int procfd, struct berth_error *err)
{
	const struct berth_linux *l = &spec->linux_;
	bool root = geteuid() == 0;
	char rel[64];

	if (l->n_uid_mappings == 0 || l->n_gid_mappings == 0)
		return berr_set(err,
				"linux.uidMappings/gidMappings: a new user namespace needs both");
	if (root) {
		if (write_one(pid, procfd, "uid_map", l->uid_mappings, l->n_uid_mappings, err) <
			0 ||
		    write_one(pid, procfd, "gid_map", l->gid_mappings, l->n_gid_mappings, err) < 0)
			return berr_prefix(err, "write id maps");
		return 0;
	}
	if (is_own_single_id(l->uid_mappings, l->n_uid_mappings, geteuid())) {
		if (write_one(pid, procfd, "uid_map", l->uid_mappings, 1, err) < 0)
			return berr_prefix(err, "write uid map");
	} else if (run_idmap_tool("newuidmap", pid, l->uid_mappings, l->n_uid_mappings, err) < 0) {
		return -1;
	}
	if (is_own_single_id(l->gid_mappings, l->n_gid_mappings, getegid())) {
		snprintf(rel, sizeof(rel), "%d/setgroups", (int)pid);
		if (procfs_write(procfd, rel, "deny", err) < 0 ||
		    write_one(pid, procfd, "gid_map", l->gid_mappings, 1, err) < 0)
			return berr_prefix(err, "write gid map");
	} else if (run_idmap_tool("newgidmap", pid, l->gid_mappings, l->n_gid_mappings, err) < 0) {
		return -1;
	}
	return 0;
}

int timens_write_offsets(pid_t pid, const struct berth_spec *spec, int procfd,
			 struct berth_error *err)
{
	const struct berth_linux *l = &spec->linux_;
	char buf[256], rel[64];
	int off = 0;

	if (l->time_monotonic.present)
		off += snprintf(buf + off, sizeof(buf) - (size_t)off, "monotonic %lld %u\n",
				(long long)l->time_monotonic.secs, l->time_monotonic.nanosecs);
	if (l->time_boottime.present)
		off += snprintf(buf + off, sizeof(buf) - (size_t)off, "boottime %lld %u\n",
				(long long)l->time_boottime.secs, l->time_boottime.nanosecs);
	if (off == 0)
		return 0;
	snprintf(rel, sizeof(rel), "%d/timens_offsets", (int)pid);
	if (procfs_write(procfd, rel, buf, err) < 0)
		return berr_prefix(err, "linux.timeOffsets");
	return 0;
}
