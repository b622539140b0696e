/* ct_request.c - what a CRIU request must say about a container, from its
 * spec: the rootfs, the namespaces it joined rather than made, the
 * external mounts (bind mounts, the cgroup bind) and the cgroup to freeze
 * or restore into. Masked files need nothing: berth masks them with the
 * container's own /dev/null, a mount CRIU dumps like any other. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "criu.h"
#include "libcontainer/config/config.h"

/* The keys under which a joined network or pid namespace travels between
 * dump and restore (runc uses the same ones, so images stay exchangeable). */
#define EXT_NET_KEY "extRootNetNS"
#define EXT_PID_KEY "extRootPidNS"

static bool is_bind(const struct berth_mount *m)
{
	if (m->type && strcmp(m->type, "bind") == 0)
		return true;
	for (size_t i = 0; i < m->n_options; i++)
		if (strcmp(m->options[i], "bind") == 0 || strcmp(m->options[i], "rbind") == 0)
			return true;
	return false;
}

/* Without a cgroup namespace the container's cgroup mount is a bind of its
 * own cgroup directory (mount_cgroup.c): external to the tree, like any
 * bind, and on restore the new container's directory. v2 only: on v1 it
 * is a tmpfs of binds, which this does not describe. */
static bool is_cgroup_bind(const struct criu_ct *ct, const struct berth_mount *m)
{
	return ct->cgroup_dir && m->type && m->destination &&
	       (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0) &&
	       !berth_spec_namespace(ct->spec, BERTH_NS_CGROUP);
}

static int add_namespaces(struct criu_request *r, const struct criu_ct *ct, struct berth_error *err)
{
	const struct berth_spec *s = ct->spec;

	for (size_t i = 0; i < s->linux_.n_namespaces; i++) {
		const struct berth_namespace *ns = &s->linux_.namespaces[i];
		const char *name = berth_ns_type_name(ns->type);
		const char *key = NULL;
		char buf[PATH_MAX + 64];
		struct stat st;

		if (!ns->path || !*ns->path)
			continue;
		if (ns->type == BERTH_NS_NETWORK)
			key = EXT_NET_KEY;
		else if (ns->type == BERTH_NS_PID)
			key = EXT_PID_KEY;
		if (r->action == CRIU_ACTION_RESTORE) {
			if (ns->type == BERTH_NS_IPC || ns->type == BERTH_NS_UTS) {
				if (criu_request_add_join_ns(r, name, ns->path, err) < 0)
					return -1;
				continue;
			}
			if (!key)
				return berr_set(
				    err, "restore into an existing %s namespace is not supported",
				    name);
			int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				return berr_sys(err, errno, "open %s namespace %s", name, ns->path);
			if (criu_request_own_fd(r, fd, err) < 0 ||
			    criu_request_add_inherit(r, key, fd, err) < 0)
				return -1;
			continue;
		}
		if (!key)
			continue; /* CRIU dumps ipc/uts as they are; restore joins them */
		if (stat(ns->path, &st) < 0)
			return berr_sys(err, errno, "stat %s namespace %s", name, ns->path);
		snprintf(buf, sizeof(buf), "%s[%llu]:%s",
			 ns->type == BERTH_NS_NETWORK ? "net" : "pid",
			 (unsigned long long)st.st_ino, key);
		if (criu_request_add_external(r, buf, err) < 0)
			return -1;
	}
	return 0;
}

static int add_bind_mounts(struct criu_request *r, const struct criu_ct *ct,
			   struct berth_error *err)
{
	const struct berth_spec *s = ct->spec;
	char src[PATH_MAX * 2];

	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct berth_mount *m = &s->mounts[i];
		if (is_cgroup_bind(ct, m)) {
			const char *v =
			    r->action == CRIU_ACTION_RESTORE ? ct->cgroup_dir : m->destination;
			if (criu_request_add_ext_mnt(r, m->destination, v, err) < 0)
				return -1;
			continue;
		}
		if (!is_bind(m) || !m->destination || !m->source)
			continue;
		const char *val = m->destination;
		if (r->action == CRIU_ACTION_RESTORE) {
			/* Relative sources are relative to the bundle, as at create. */
			if (m->source[0] == '/')
				snprintf(src, sizeof(src), "%s", m->source);
			else
				snprintf(src, sizeof(src), "%s/%s", ct->bundle, m->source);
			val = src;
		}
		if (criu_request_add_ext_mnt(r, m->destination, val, err) < 0)
			return -1;
	}
	return 0;
}

int criu_request_add_cgroup_binds(struct criu_request *r, const struct berth_spec *spec,
				  const struct criu_cgroup_bind *b, size_t n,
				  struct berth_error *err)
{
	char key[PATH_MAX * 2];

	if (berth_spec_namespace(spec, BERTH_NS_CGROUP))
		return 0;
	for (size_t i = 0; i < spec->n_mounts; i++) {
		const struct berth_mount *m = &spec->mounts[i];
		if (!m->type || !m->destination || strcmp(m->type, "cgroup") != 0)
			continue;
		for (size_t j = 0; j < n; j++) {
			snprintf(key, sizeof(key), "%s/%s",
				 strcmp(m->destination, "/") ? m->destination : "", b[j].name);
			const char *val = r->action == CRIU_ACTION_RESTORE ? b[j].host_dir : key;
			if (criu_request_add_ext_mnt(r, key, val, err) < 0)
				return -1;
		}
	}
	return 0;
}

int criu_request_from_container(struct criu_request *r, const struct criu_ct *ct,
				struct berth_error *err)
{
	char path[PATH_MAX];

	if (!(r->root = strdup(ct->root)))
		return berr_sys(err, ENOMEM, "criu request");
	r->pid = r->action == CRIU_ACTION_RESTORE ? 0 : ct->pid;
	r->manage_cgroups = true;
	r->orphan_pts_master = true;
	if (r->action == CRIU_ACTION_RESTORE) {
		r->evasive_devices = true;
		r->rst_sibling = true; /* the restored init becomes our child */
	}
	if (ct->cgroup_path && *ct->cgroup_path) {
		if (r->action == CRIU_ACTION_RESTORE) {
			/* The tree goes to this container's cgroup, whatever the image says. */
			r->cg_root = strdup(ct->cgroup_path);
		} else {
			snprintf(path, sizeof(path), "%s%s", ct->freezer_mount, ct->cgroup_path);
			r->freeze_cgroup = strdup(path);
		}
		if (!r->cg_root && !r->freeze_cgroup)
			return berr_sys(err, ENOMEM, "criu request");
	}
	if (add_namespaces(r, ct, err) < 0 || add_bind_mounts(r, ct, err) < 0)
		return -1;
	return 0;
}
