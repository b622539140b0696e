/* oci_features.c - build the OCI features document (see oci_features.h). */
#include "oci_features.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/process/process.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/criu/criu.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/seccomp/seccomp_filter.h"
#include "version.h"

/* The oldest config.json version berth accepts. */
#define FEATURES_OCI_VERSION_MIN "1.0.0"

/* Every hook kind the runtime runs, in lifecycle order. */
static const char *const hook_kinds[] = {
    "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

/* OCI namespace names and the /proc/self/ns entry that proves the kernel
 * has them, sorted by OCI name as runc prints them. */
static const struct {
	const char *oci;
	const char *proc;
} namespace_names[] = {
    {"cgroup", "cgroup"}, {"ipc", "ipc"},   {"mount", "mnt"}, {"network", "net"},
    {"pid", "pid"},	  {"time", "time"}, {"user", "user"}, {"uts", "uts"},
};

/* Annotation keys of berth's own, and the values it reports. */
#define ANNOTATION_BERTH_VERSION    "io.berth.version"
#define ANNOTATION_BERTH_CHECKPOINT "io.berth.checkpoint.enabled"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- host probes: read-only ---- */

/* Is `fs` listed in /proc/filesystems ("nodev\tcgroup2")? */
static bool filesystem_supported(const char *fs)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/filesystems", "re");
	char line[256];

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *name = strchr(line, '\t');
		name = name ? name + 1 : line;
		name[strcspn(name, "\n")] = '\0';
		if (strcmp(name, fs) == 0)
			return true;
	}
	return false;
}

/* Is the cgroup controller `name` compiled in and enabled (/proc/cgroups
 * lists v1 and v2 controllers alike: "rdma 0 1 1")? */
static bool cgroup_controller_enabled(const char *name)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/cgroups", "re");
	char line[256], ctrl[64];
	unsigned hier, num, enabled;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %u %u %u", ctrl, &hier, &num, &enabled) == 4 &&
		    strcmp(ctrl, name) == 0)
			return enabled != 0;
	return false;
}

/* Idmapped mounts need mount_setattr(2) (Linux 5.12) and berth's "idmap"
 * mount option. Probing with a bad fd makes the kernel answer EBADF when
 * the syscall exists and ENOSYS when it does not; nothing is changed. */
static bool idmap_mounts_supported(void)
{
#ifdef SYS_mount_setattr
	if (!mount_option_lookup("idmap"))
		return false;
	errno = 0;
	if (syscall(SYS_mount_setattr, -1, "", 0, NULL, 0) == 0)
		return true;
	return errno != ENOSYS;
#else
	return false;
#endif
}

/* ---- document parts ---- */

/* The library hands over typed lists (names, flags); JSON is made here. */
static json_t *names_json(const char *const *names, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(names[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* The mount option table is the one the mount code uses, so every name
 * listed here is one berth understands. */
static json_t *mount_options_json(void)
{
	size_t n = 0;
	const struct mount_option *t = mount_options_table(&n);
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(t[i].name)) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *namespaces_json(void)
{
	json_t *a = json_array();
	char path[64];

	for (size_t i = 0; a && i < N_ELEMENTS(namespace_names); i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", namespace_names[i].proc);
		if (access(path, F_OK) != 0)
			continue;
		if (json_array_append_new(a, json_string(namespace_names[i].oci)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Which cgroup setups berth can drive here. systemd and systemdUser, as
 * runc reports them, say what this build can do (it has the systemd driver
 * when built with libsystemd), not whether systemd runs. */
static json_t *cgroup_json(void)
{
	return json_pack("{s:b, s:b, s:b, s:b, s:b}", "v1", filesystem_supported("cgroup"), "v2",
			 filesystem_supported("cgroup2"), "systemd", BERTH_HAVE_SYSTEMD,
			 "systemdUser", BERTH_HAVE_SYSTEMD, "rdma",
			 cgroup_controller_enabled("rdma"));
}

static json_t *capabilities_json(void)
{
	const char *names[CAPS_MAX];

	return names_json(names, caps_supported(names));
}

static json_t *seccomp_json(void)
{
	struct seccomp_features f;
	struct berth_error ignored;
	json_t *j = NULL;

	if (seccomp_features_probe(&f, &ignored) == 0)
		j = json_pack("{s:b, s:o, s:o, s:o, s:o, s:o}", "enabled", f.enabled, "actions",
			      names_json(f.actions.names, f.actions.n), "operators",
			      names_json(f.operators.names, f.operators.n), "archs",
			      names_json(f.archs.names, f.archs.n), "knownFlags",
			      names_json(f.known_flags.names, f.known_flags.n), "supportedFlags",
			      names_json(f.supported_flags.names, f.supported_flags.n));
	seccomp_features_free(&f);
	return j;
}

static json_t *linux_json(void)
{
	/* linux.intelRdt and linux.netDevices are not applied by berth: say
	 * so rather than let a caller assume they work because the host has
	 * resctrl or network devices. */
	return json_pack("{s:o, s:o, s:o, s:o, s:{s:b}, s:{s:b}, s:{s:b}, s:{s:b}, s:{s:{s:b}}}",
			 "namespaces", namespaces_json(), "capabilities", capabilities_json(),
			 "cgroup", cgroup_json(), "seccomp", seccomp_json(), "apparmor", "enabled",
			 lsm_apparmor_enabled(), "selinux", "enabled", lsm_selinux_enabled(),
			 "intelRdt", "enabled", 0, "netDevices", "enabled", 0, "mountExtensions",
			 "idmap", "enabled", idmap_mounts_supported());
}

/* Checkpoint works when CRIU is built in, installed and passes its own
 * check on this kernel (a CHECK request: what `criu check` runs). */
static const char *checkpoint_enabled(void)
{
	struct berth_error ignored;

	return criu_built_in() && criu_check(&ignored) == 0 ? "true" : "false";
}

static json_t *annotations_json(void)
{
	return json_pack("{s:s, s:s}", ANNOTATION_BERTH_CHECKPOINT, checkpoint_enabled(),
			 ANNOTATION_BERTH_VERSION, BERTH_VERSION);
}

json_t *features_json(struct berth_error *err)
{
	json_t *doc = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "ociVersionMin",
				FEATURES_OCI_VERSION_MIN, "ociVersionMax", berth_oci_version(),
				"hooks", names_json(hook_kinds, N_ELEMENTS(hook_kinds)),
				"mountOptions", mount_options_json(), "linux", linux_json(),
				"annotations", annotations_json());

	if (!doc)
		berr_sys(err, ENOMEM, "build features document");
	return doc;
}

char *features_text(struct berth_error *err)
{
	json_t *doc = features_json(err);
	char *text;
	size_t len;

	if (!doc)
		return NULL;
	text = json_dumps(doc, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text) {
		berr_sys(err, ENOMEM, "format features document");
		return NULL;
	}
	len = strlen(text);
	/* json_dumps leaves out the final newline a terminal wants */
	char *out = realloc(text, len + 2);
	if (!out) {
		free(text);
		berr_sys(err, ENOMEM, "format features document");
		return NULL;
	}
	out[len] = '\n';
	out[len + 1] = '\0';
	return out;
}
