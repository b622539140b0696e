/* criu.h - checkpoint and restore through CRIU's RPC interface.
 *
 * berth starts `criu swrk 3` with one end of a socketpair as its fd 3,
 * sends one request (a protobuf criu_req built from struct criu_request),
 * answers CRIU's notifications through a callback, and reads the final
 * response. The protobuf types never leave this module: callers describe
 * the request in plain C. This module knows nothing of containers or
 * state.json, and never prints. */
#ifndef BERTH_CRIU_H
#define BERTH_CRIU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/error.h"

enum criu_action {
	CRIU_ACTION_DUMP,
	CRIU_ACTION_PRE_DUMP,
	CRIU_ACTION_RESTORE,
	CRIU_ACTION_CHECK,
};

/* --manage-cgroups-mode, as CRIU's criu_cg_mode values. */
enum criu_cg_mode {
	CRIU_CG_UNSET = -1,
	CRIU_CG_IGNORE = 0,
	CRIU_CG_SOFT = 3,
	CRIU_CG_FULL = 4,
	CRIU_CG_STRICT = 5,
};

struct criu_kv {
	char *key;
	char *val;
};

struct criu_inherit {
	char *key; /* "pipe:[1234]", "extRootNetNS" */
	int fd;	   /* the fd number in the criu process (0..2 or passed on) */
};

struct criu_request {
	enum criu_action action;
	const char *criu_bin; /* NULL: "criu" from PATH */
	int images_dir_fd;    /* required but for CHECK */
	int work_dir_fd;      /* -1: the image dir */
	char *log_file;	      /* in the work dir: "dump.log", "restore.log" */
	char *parent_img;     /* relative to the image dir */
	pid_t pid;	      /* the tree to dump */
	char *root;	      /* the container's rootfs as the host sees it */
	char *freeze_cgroup;
	char *cg_root; /* restore: the cgroup the tree goes to */
	char *lsm_profile;
	char *lsm_mount_context;
	bool leave_running, tcp_established, ext_unix_sk, shell_job, file_locks, lazy_pages,
	    auto_dedup, track_mem, orphan_pts_master, evasive_devices, rst_sibling, manage_cgroups;
	int status_fd; /* -1: none; otherwise passed to criu as this same number */
	/* dump: send the pages to a `criu page-server` there (NULL: none) */
	char *ps_address;
	int ps_port;
	enum criu_cg_mode cg_mode;
	uint32_t empty_ns; /* CLONE_NEW* flags CRIU leaves empty */
	struct criu_kv *ext_mnt;
	size_t n_ext_mnt;
	char **external;
	size_t n_external;
	struct criu_inherit *inherit;
	size_t n_inherit;
	struct criu_kv *join_ns; /* ns name -> ns file */
	size_t n_join_ns;
	int owned_fds[8]; /* closed by criu_request_free() */
	size_t n_owned_fds;
};

void criu_request_init(struct criu_request *r, enum criu_action action);
void criu_request_free(struct criu_request *r);
int criu_request_add_ext_mnt(struct criu_request *r, const char *key, const char *val,
			     struct berth_error *err);
int criu_request_add_external(struct criu_request *r, const char *spec, struct berth_error *err);
/* fd must stay open until criu_run() returns; it is duplicated into criu. */
int criu_request_add_inherit(struct criu_request *r, const char *key, int fd,
			     struct berth_error *err);
int criu_request_add_join_ns(struct criu_request *r, const char *ns, const char *file,
			     struct berth_error *err);
/* Hand an fd to the request: closed with it (also on failure here). */
int criu_request_own_fd(struct criu_request *r, int fd, struct berth_error *err);

/* On v1 and hybrid hosts the container's cgroup mount is a tmpfs with one
 * bind per hierarchy (rootfs/mount_cgroup.c): `name` is its directory there
 * (the host mount's last component, "cpu,cpuacct"), `host_dir` the
 * container's cgroup in that hierarchy. */
struct criu_cgroup_bind {
	const char *name;
	const char *host_dir;
};

/* A container as a request needs it, from its spec and state. */
struct berth_spec;
struct criu_ct {
	const struct berth_spec *spec;
	const char *bundle;	   /* absolute: relative bind sources are relative to it */
	const char *root;	   /* dump: the rootfs; restore: where CRIU builds the tree */
	pid_t pid;		   /* dump: the init */
	const char *cgroup_path;   /* the container's cgroup below each root; NULL: none */
	const char *freezer_mount; /* "/sys/fs/cgroup" (v2) or its freezer hierarchy (v1) */
	const char *cgroup_dir;	   /* v2: the host path of the container's cgroup, else NULL */
};
/* Fill root, pid, cgroups, namespaces and external mounts of `r` (whose
 * action is set) from `ct`, as runc does for its containers. */
int criu_request_from_container(struct criu_request *r, const struct criu_ct *ct,
				struct berth_error *err);
/* The v1 binds below the spec's cgroup mount as external mounts: on dump
 * by their place in the container, on restore bound to `host_dir` (the new
 * container's cgroup). Nothing with a cgroup namespace: then they are
 * cgroup mounts of its own, not binds. */
int criu_request_add_cgroup_binds(struct criu_request *r, const struct berth_spec *spec,
				  const struct criu_cgroup_bind *b, size_t n,
				  struct berth_error *err);

/* A notification from CRIU ("setup-namespaces", "post-restore", ...): pid
 * is the restored/dumped init's (0 when CRIU sent none); fd is a file
 * descriptor CRIU passed along (orphan-pts-master), owned by the callback,
 * or -1. Return -1 with err filled to fail the whole request. */
typedef int (*criu_notify_fn)(void *ctx, const char *script, pid_t pid, int fd,
			      struct berth_error *err);

struct criu_result {
	pid_t restored_pid; /* RESTORE: the init of the restored tree */
};

/* Called with criu's pid before the request is encoded and sent (NULL:
 * none); it may still change the request through its own pointer. */
typedef int (*criu_spawned_fn)(void *ctx, pid_t criu_pid, struct berth_error *err);

/* Run one request. The criu process gets stdin/stdout/stderr from stdio[]
 * (-1: /dev/null) and the inherit fds. On a failed request the message is
 * runc's: "criu failed: type DUMP errno N\nlog file: <log_path>" with
 * CRIU's own message appended when it sent one. `log_path` only names the
 * log in that message. */
int criu_run(const struct criu_request *r, const int stdio[3], criu_spawned_fn spawned,
	     criu_notify_fn notify, void *ctx, const char *log_path, struct criu_result *out,
	     struct berth_error *err);

/* Before a restore: make the bind mounts' mount points in the rootfs
 * (mountpoints.c); ones that can't be made are left to CRIU to report. */
int criu_prepare_mountpoints(const struct berth_spec *s, const char *bundle, const char *rootfs,
			     struct berth_error *err);

/* True when berth was built with CRIU support (protobuf-c found). */
/* CRIU builds the restored mount tree on a mount of its own: a recursive
 * bind of rootfs on root_path (a directory the caller made), detached
 * again by criu_root_unbind() once the tree has its namespace. */
int criu_root_bind(const char *rootfs, const char *root_path, struct berth_error *err);
void criu_root_unbind(const char *root_path);

bool criu_built_in(void);
/* Whether CRIU is installed and works on this kernel: a CHECK request. */
int criu_check(struct berth_error *err);

#endif
