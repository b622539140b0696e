/* spec_default.c - build the default config.json document (see spec_default.h). */
#include "spec_default.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "version.h"

/* Everything below is data, in the order runc writes it, so that a diff
 * against `runc spec` output shows only the intended differences (the
 * hostname, the ociVersion, and the extra masked powercap directory). */

static const char *const default_caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};

static const char *const default_env[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "TERM=xterm",
};

struct default_mount {
	const char *destination;
	const char *type;
	const char *source;
	const char *options; /* comma-separated, NULL for none */
};

static const struct default_mount default_mounts[] = {
    {"/proc", "proc", "proc", NULL},
    {"/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k"},
    {"/dev/pts", "devpts", "devpts", "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5"},
    {"/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,size=65536k"},
    {"/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev"},
    {"/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro"},
    {"/sys/fs/cgroup", "cgroup", "cgroup", "nosuid,noexec,nodev,relatime,ro"},
};

/* runc's list; powercap is masked too because its energy counters are a
 * known side channel (docker masks it for the same reason). */
static const char *const default_masked_paths[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/sys/firmware",
    "/proc/scsi",
    "/sys/devices/virtual/powercap",
    "/sys/devices/virtual/tpm",
};

static const char *const default_readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

static const char *const default_namespaces[] = {"pid", "network", "ipc", "uts", "mount"};

/* The rootless /sys: sysfs can't be mounted without owning the network
 * namespace, so the host's /sys is bind-mounted read-only instead. */
static const char *const rootless_sys_options[] = {"rbind", "nosuid", "noexec", "nodev", "ro"};

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

static json_t *string_array(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* "a,b,c" -> ["a","b","c"] */
static json_t *split_options(const char *csv)
{
	json_t *a = json_array();
	const char *p = csv;

	while (a && *p) {
		size_t len = strcspn(p, ",");
		if (json_array_append_new(a, json_stringn(p, len)) < 0) {
			json_decref(a);
			return NULL;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return a;
}

static json_t *build_capabilities(void)
{
	size_t n = N_ELEMENTS(default_caps);

	/* runc >= 1.2 leaves ambient out: a plain `sh` must not inherit
	 * capabilities into the programs it execs. */
	return json_pack("{s:o, s:o, s:o}", "bounding", string_array(default_caps, n), "effective",
			 string_array(default_caps, n), "permitted", string_array(default_caps, n));
}

static json_t *build_process(void)
{
	return json_pack("{s:b, s:{s:i, s:i}, s:[s], s:o, s:s, s:o, s:[{s:s, s:i, s:i}], s:b}",
			 "terminal", 1, "user", "uid", 0, "gid", 0, "args", "sh", "env",
			 string_array(default_env, N_ELEMENTS(default_env)), "cwd", "/",
			 "capabilities", build_capabilities(), "rlimits", "type", "RLIMIT_NOFILE",
			 "hard", 1024, "soft", 1024, "noNewPrivileges", 1);
}

static json_t *build_mounts(void)
{
	json_t *mounts = json_array();

	for (size_t i = 0; mounts && i < N_ELEMENTS(default_mounts); i++) {
		const struct default_mount *d = &default_mounts[i];
		json_t *m = json_pack("{s:s, s:s, s:s}", "destination", d->destination, "type",
				      d->type, "source", d->source);

		if (m && d->options &&
		    json_object_set_new(m, "options", split_options(d->options)) < 0) {
			json_decref(m);
			m = NULL;
		}
		if (!m || json_array_append_new(mounts, m) < 0) {
			json_decref(mounts);
			return NULL;
		}
	}
	return mounts;
}

/* runc adds a cgroup namespace only where the host runs cgroup v2 alone:
 * there the container's /sys/fs/cgroup is its own subtree. */
static bool host_is_cgroup2_unified(void)
{
	struct statfs st;

	return statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

static json_t *build_namespaces(void)
{
	json_t *ns = json_array();

	for (size_t i = 0; ns && i < N_ELEMENTS(default_namespaces); i++)
		if (json_array_append_new(ns, json_pack("{s:s}", "type", default_namespaces[i])) <
		    0)
			goto fail;
	if (ns && host_is_cgroup2_unified() &&
	    json_array_append_new(ns, json_pack("{s:s}", "type", "cgroup")) < 0)
		goto fail;
	return ns;
fail:
	json_decref(ns);
	return NULL;
}

static json_t *build_linux(void)
{
	return json_pack("{s:{s:[{s:b, s:s}]}, s:o, s:o, s:o}", "resources", "devices", "allow", 0,
			 "access", "rwm", "namespaces", build_namespaces(), "maskedPaths",
			 string_array(default_masked_paths, N_ELEMENTS(default_masked_paths)),
			 "readonlyPaths",
			 string_array(default_readonly_paths, N_ELEMENTS(default_readonly_paths)));
}

/* ---- the rootless conversion, as runc's specconv.ToRootless ---- */

static int rootless_namespaces(json_t *linux_)
{
	json_t *old = json_object_get(linux_, "namespaces");
	json_t *ns = json_array();
	size_t i;
	json_t *v;

	if (!ns)
		return -1;
	/* No new network namespace: an unprivileged user can't wire one up,
	 * and the container would be offline. */
	json_array_foreach(old, i, v)
	{
		const char *type = json_string_value(json_object_get(v, "type"));
		if (type && (!strcmp(type, "network") || !strcmp(type, "user")))
			continue;
		if (json_array_append(ns, v) < 0)
			goto fail;
	}
	if (json_array_append_new(ns, json_pack("{s:s}", "type", "user")) < 0)
		goto fail;
	return json_object_set_new(linux_, "namespaces", ns);
fail:
	json_decref(ns);
	return -1;
}

/* Map only the caller: root in the container is the caller outside. The
 * mappings go first in "linux", where runc's writer puts them. */
static json_t *rootless_mappings(json_t *linux_)
{
	json_t *out =
	    json_pack("{s:[{s:i, s:I, s:i}], s:[{s:i, s:I, s:i}]}", "uidMappings", "containerID", 0,
		      "hostID", (json_int_t)geteuid(), "size", 1, "gidMappings", "containerID", 0,
		      "hostID", (json_int_t)getegid(), "size", 1);
	const char *key;
	json_t *v;

	json_object_foreach(linux_, key, v)
	{
		if (out && json_object_set(out, key, v) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

static bool is_sys_destination(const char *dest)
{
	size_t len;

	if (!dest || strncmp(dest, "/sys", 4) != 0)
		return false;
	/* filepath.Clean semantics for the forms that occur: "/sys", "/sys/", "/sys//" */
	len = strlen(dest);
	for (size_t i = 4; i < len; i++)
		if (dest[i] != '/')
			return false;
	return true;
}

/* uid=/gid= options name ids that don't exist inside a one-id user
 * namespace; the mount would fail. */
static json_t *without_id_options(json_t *options)
{
	json_t *out = json_array();
	size_t i;
	json_t *v;

	json_array_foreach(options, i, v)
	{
		const char *s = json_string_value(v);
		if (s && (!strncmp(s, "uid=", 4) || !strncmp(s, "gid=", 4)))
			continue;
		if (out && json_array_append(out, v) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

static int rootless_mounts(json_t *spec)
{
	json_t *mounts = json_object_get(spec, "mounts");
	size_t i;
	json_t *m;

	json_array_foreach(mounts, i, m)
	{
		json_t *options = json_object_get(m, "options");

		if (is_sys_destination(json_string_value(json_object_get(m, "destination")))) {
			json_t *sys = json_pack(
			    "{s:s, s:s, s:s, s:o}", "destination", "/sys", "type", "none", "source",
			    "/sys", "options",
			    string_array(rootless_sys_options, N_ELEMENTS(rootless_sys_options)));
			if (!sys || json_array_set_new(mounts, i, sys) < 0)
				return -1;
			continue;
		}
		if (options) {
			json_t *filtered = without_id_options(options);
			if (!filtered || json_object_set_new(m, "options", filtered) < 0)
				return -1;
		}
	}
	return 0;
}

static int to_rootless(json_t *spec)
{
	json_t *linux_;

	if (rootless_namespaces(json_object_get(spec, "linux")) < 0 || rootless_mounts(spec) < 0)
		return -1;
	linux_ = rootless_mappings(json_object_get(spec, "linux"));
	if (!linux_ || json_object_set_new(spec, "linux", linux_) < 0)
		return -1;
	/* Cgroup limits need a delegated cgroup the caller may not have. */
	json_object_del(linux_, "resources");
	return 0;
}

json_t *spec_default_json(bool rootless)
{
	json_t *spec =
	    json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", berth_oci_version(),
		      "process", build_process(), "root", "path", "rootfs", "readonly", 1,
		      "hostname", "berth", "mounts", build_mounts(), "linux", build_linux());

	if (spec && rootless && to_rootless(spec) < 0) {
		json_decref(spec);
		return NULL;
	}
	return spec;
}

char *spec_default_text(bool rootless)
{
	json_t *spec = spec_default_json(rootless);
	char *text, *out;
	size_t len, o = 0;
	bool line_start = true;

	if (!spec)
		return NULL;
	text = json_dumps(spec, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(spec);
	if (!text)
		return NULL;
	/* jansson indents with spaces; runc writes tabs. Leading spaces only. */
	len = strlen(text);
	out = malloc(len + 2);
	if (!out) {
		free(text);
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		if (line_start && text[i] == ' ') {
			out[o++] = '\t';
			continue;
		}
		line_start = text[i] == '\n';
		out[o++] = text[i];
	}
	out[o++] = '\n';
	out[o] = '\0';
	free(text);
	return out;
}

int spec_default_write(const char *dir, bool rootless, struct berth_error *err)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int fd = -1;
	size_t len, off = 0;

	if (asprintf(&path, "%s%sconfig.json", dir && *dir ? dir : "",
		     dir && *dir && dir[strlen(dir) - 1] != '/' ? "/" : "") < 0) {
		path = NULL;
		return berr_sys(err, ENOMEM, "config.json path");
	}
	text = spec_default_text(rootless);
	if (!text)
		return berr_sys(err, ENOMEM, "build default spec");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		if (errno == EEXIST)
			return berr_set(err, "File config.json exists. Remove it first");
		return berr_sys(err, errno, "create %s", path);
	}
	len = strlen(text);
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			unlink(path); /* never leave half a config behind */
			return berr_sys(err, saved, "write %s", path);
		}
		off += (size_t)n;
	}
	if (close(steal_fd(&fd)) < 0) {
		int saved = errno;
		unlink(path);
		return berr_sys(err, saved, "close %s", path);
	}
	return 0;
}
