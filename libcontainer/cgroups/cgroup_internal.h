/* cgroup_internal.h - what the files of libcontainer/cgroups/ share and
 * nobody else sees: the manager's layout, the driver function table, and
 * the small file helpers every driver uses.
 *
 * Only code under libcontainer/cgroups/ (and its unit tests) includes this. */
#ifndef BERTH_CGROUP_INTERNAL_H
#define BERTH_CGROUP_INTERNAL_H

#include <stdarg.h>

#include "cgroup.h"

#define CG_ROOT		   "/sys/fs/cgroup"
#define CG_UNIFIED	   "/sys/fs/cgroup/unified"
#define CG_SYSTEMD_RUN_DIR "/run/systemd/system"
#define CG_PATH_SEP	   '\n' /* separates per-hierarchy overrides in the saved path */

/* One mounted v1 hierarchy (a mount may carry several controllers). */
struct cg_hier {
	char *controllers; /* "cpu" or "cpu,cpuacct" as mounted */
	char *mount;	   /* /sys/fs/cgroup/cpu */
	char *rel;	   /* the container's cgroup, relative to the mount ("/x/y") */
	char *dir;	   /* mount + rel */
	char **created;	   /* dirs this manager mkdir'ed, parents first */
	size_t n_created;
};

struct cgroup_manager;

struct cg_driver {
	enum cgroup_driver id;
	int (*create)(struct cgroup_manager *m, const struct berth_resources *r,
		      struct berth_error *err);
	int (*add_pid)(struct cgroup_manager *m, pid_t pid, struct berth_error *err);
	int (*update)(struct cgroup_manager *m, const struct berth_resources *r,
		      struct berth_error *err);
	int (*freeze)(struct cgroup_manager *m, bool frozen, struct berth_error *err);
	int (*is_frozen)(struct cgroup_manager *m, bool *frozen, struct berth_error *err);
	int (*pids)(struct cgroup_manager *m, pid_t **pids, size_t *n, struct berth_error *err);
	int (*kill_all)(struct cgroup_manager *m, int sig, struct berth_error *err);
	int (*stats)(struct cgroup_manager *m, struct cgroup_stats *st, struct berth_error *err);
	int (*destroy)(struct cgroup_manager *m, struct berth_error *err);
	int (*oom_count)(struct cgroup_manager *m, uint64_t *count, struct berth_error *err);
};

extern const struct cg_driver cg_driver_v2;
extern const struct cg_driver cg_driver_v1;
extern const struct cg_driver cg_driver_hybrid;
extern const struct cg_driver cg_driver_disabled;
extern const struct cg_driver cg_driver_systemd;
extern const struct cg_driver cg_driver_systemd_user;
extern const struct cg_driver cg_driver_systemd_v1; /* systemd on v1 and hybrid hosts */

/* ---- systemd_props.c: unit properties as berth-systemd reads them ---- */

struct cg_sd_prop {
	char *name;
	char type[8]; /* D-Bus signature: "t", "b", "s", "ay", "a(ss)", ... */
	char *value;  /* text, see libexec/berth-systemd.c */
};
struct cg_sd_props {
	struct cg_sd_prop *v;
	size_t n;
};

struct cgroup_manager {
	const struct cg_driver *drv;
	char *saved_path; /* what cgroup_manager_path() returns */
	bool rootless;
	bool degraded; /* rootless and not allowed: behaves as disabled */

	/* the cgroup2 part: all of v2, the unified mount of hybrid */
	char *v2_mount; /* /sys/fs/cgroup or /sys/fs/cgroup/unified; NULL when none */
	char *v2_rel;
	char *v2_dir;
	int v2_fd;	/* lazily opened O_DIRECTORY fd */
	bool v2_usable; /* hybrid: the unified dir exists and is ours */
	/* clone_fd was handed out: the next process is born in the v2 cgroup,
	 * and writing it to cgroup.procs again would only cost an RCU grace
	 * period (~10-20 ms of wall time here). */
	bool v2_born_there;
	char **v2_created;
	size_t n_v2_created;

	/* the cgroup v1 part */
	struct cg_hier *hier;
	size_t n_hier;
	/* the next process moves itself in (self_join.c): add_pid skips v1 */
	bool v1_self_join;

	/* the systemd driver: a transient unit owns the v2 directory above */
	char *sd_unit;	/* "berth-x.scope" or "x.slice" */
	char *sd_slice; /* its parent slice */
	char *sd_desc;	/* Description= */
	bool sd_is_slice;
	bool sd_started;		      /* the unit exists: the v2 fields are its cgroup */
	const struct berth_resources *sd_res; /* from create until the unit starts */
	struct cg_sd_props sd_extra;	      /* org.systemd.property.* annotations */
};

/* ---- detect.c: what is mounted, where the caller is ---- */

enum cg_kind { CG_KIND_V2, CG_KIND_V1, CG_KIND_HYBRID, CG_KIND_NONE };

struct cg_mounts {
	enum cg_kind kind;
	char *v2_mount;	      /* NULL without cgroup2 */
	struct cg_hier *hier; /* only controllers/mount filled */
	size_t n_hier;
};

int cg_detect(struct cg_mounts *out, struct berth_error *err);
void cg_mounts_clear(struct cg_mounts *mnt);
/* The caller's own cgroup in the hierarchy carrying `controller` ("" for
 * the cgroup2 one) from /proc/self/cgroup. Returns a malloc'ed "/x/y". */
char *cg_own_cgroup(const char *proc_self_cgroup_text, const char *controller);
/* Is `name` one of the comma-separated `list`? */
bool cg_list_has(const char *list, const char *name);

/* ---- path.c: pure path logic (unit tested) ---- */

/* Clean a path lexically: collapse "//", drop ".", resolve ".." without
 * climbing above "/"; the result is absolute. NULL on ENOMEM. */
char *cg_path_clean(const char *path);
/* runc semantics: absolute `cgroups_path` -> cleaned as is; relative -> below
 * `own`; empty/NULL -> `id` below `own`. */
char *cg_path_resolve(const char *own, const char *cgroups_path, const char *id);
/* Check a systemd driver's cgroupsPath "slice:prefix:name". */
int cg_systemd_path_check(const char *cgroups_path, struct berth_error *err);

/* ---- systemd_path.c: "slice:prefix:name" (unit tested) ---- */

struct cg_sd_path {
	char *slice; /* "system.slice" */
	char *unit;  /* "prefix-name.scope", or the name when it is a slice */
	char *rel;   /* the unit's cgroup below the manager's root: "/system.slice/x.scope" */
	bool is_slice;
};
/* "a-b.slice" -> "/a.slice/a-b.slice"; "-.slice" -> "/". */
int cg_sd_expand_slice(const char *slice, char **out, struct berth_error *err);
/* Empty cgroups_path means ":berth:<id>"; an empty slice is system.slice,
 * user.slice for a user manager. */
int cg_sd_path_parse(const char *cgroups_path, const char *id, bool user, struct cg_sd_path *out,
		     struct berth_error *err);
void cg_sd_path_clear(struct cg_sd_path *p);

/* ---- systemd_props.c (unit tested) ---- */

int cg_sd_props_add(struct cg_sd_props *p, const char *name, const char *type, const char *value,
		    struct berth_error *err);
void cg_sd_props_clear(struct cg_sd_props *p);
/* The limits systemd manages (MemoryMax, TasksMax, CPUWeight, ...). */
int cg_sd_resource_props(const struct berth_resources *r, struct cg_sd_props *p,
			 struct berth_error *err);
/* The same on a cgroup v1 host (MemoryLimit, CPUShares, BlockIOWeight, ...). */
int cg_sd_resource_props_v1(const struct berth_resources *r, struct cg_sd_props *p,
			    struct berth_error *err);
/* DevicePolicy and DeviceAllow from device rules (last one wins, as
 * cg_device_rules orders them); DevicePolicy=auto when systemd can't say
 * them. proc_devices: the text of /proc/devices, for "char-NAME". */
int cg_sd_device_props(const struct berth_device_cgroup *rules, size_t n, const char *proc_devices,
		       struct cg_sd_props *p, struct berth_error *err);
/* org.systemd.property.NAME annotations (GVariant scalars, as runc). */
int cg_sd_annotation_props(const struct berth_kv *a, size_t n, struct cg_sd_props *p,
			   struct berth_error *err);
/* CPUQuotaPerSecUSec: quota per period in usec per second, rounded up to
 * 10 ms; UINT64_MAX (infinity) for quota <= 0. period 0 means 100000. */
uint64_t cg_sd_cpu_quota_per_sec(int64_t quota, uint64_t period);
/* "0-3,5" -> hex of the little-endian byte mask systemd's AllowedCPUs takes. */
int cg_sd_cpuset_mask(const char *list, char **hex, struct berth_error *err);
/* "Name\ttype\tvalue\n" lines; NULL on ENOMEM. */
char *cg_sd_props_text(const struct cg_sd_props *p);

/* ---- systemd.c ---- */

/* Make m (a v2 manager) the unit's: driver, unit name, path. */
int cg_sd_manager_init(struct cgroup_manager *m, const struct cgroup_params *p,
		       struct berth_error *err);
/* m was made from a saved systemd path: the unit is its last component. */
int cg_sd_manager_reopen(struct cgroup_manager *m, bool user, struct berth_error *err);
/* Check the limits as properties and keep r for the unit's start. */
int cg_sd_create(struct cgroup_manager *m, const struct berth_resources *r,
		 struct berth_error *err);
/* Start the unit around pid (Delegate=yes, the limits as properties) and
 * point m's directories at the cgroup systemd made. */
int cg_sd_start_unit(struct cgroup_manager *m, pid_t pid, struct berth_error *err);
/* berth update: the limits as properties of the running unit. */
int cg_sd_set_props(struct cgroup_manager *m, const struct berth_resources *r,
		    struct berth_error *err);

/* ---- systemd_helper.c: running libexec/berth-systemd ---- */

/* Run `berth-systemd [--user] CMD UNIT` with `input` on its stdin; its
 * stdout (trimmed) in *out when out is not NULL; its stderr is the error. */
int cg_sd_helper(bool user, const char *cmd, const char *unit, const char *input, char **out,
		 struct berth_error *err);

/* ---- fsutil.c: file helpers; every error names the file ---- */

/* fsutil.c: the manager's cgroup2 directory fd, opened on first use (-1 without one). */
int cg_v2_open_fd(struct cgroup_manager *m);
char *cg_join(const char *a, const char *b); /* "a/b" (b may start with '/') */
int cg_write(const char *dir, const char *file, const char *val, struct berth_error *err);
int cg_writef(const char *dir, const char *file, struct berth_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Whole file, trailing newline dropped. */
int cg_read(const char *dir, const char *file, char **out, struct berth_error *err);
/* A single number; "max" reads as UINT64_MAX. */
int cg_read_u64(const char *dir, const char *file, uint64_t *v, struct berth_error *err);
/* Refuse a cgroup that already has processes in it. */
int cg_check_unused(const char *dir, struct berth_error *err);
int cg_read_i64(const char *dir, const char *file, int64_t *v, struct berth_error *err);
/* "key value" lines: the value of `key`; -1 without err when absent. */
int cg_read_keyed(const char *dir, const char *file, const char *key, uint64_t *v);
bool cg_exists(const char *dir, const char *file);
/* mkdir every missing component of mount+rel, recording what it made. */
int cg_mkdir_p(const char *mount, const char *rel, char ***created, size_t *n_created,
	       struct berth_error *err);
/* rmdir dir and every cgroup below it, deepest first; ENOENT is fine. */
int cg_rmdir_tree(const char *dir, struct berth_error *err);
/* PIDs from cgroup.procs of dir and (when recursive) every child cgroup. */
int cg_read_procs(const char *dir, bool recursive, pid_t **pids, size_t *n,
		  struct berth_error *err);
/* Remove created dirs in reverse order and free the list. */
void cg_remove_created(char ***created, size_t *n_created);
void cg_strv_free(char **v, size_t n);
/* Signal every PID listed, ignoring ones that are gone. */
int cg_signal_pids(const pid_t *pids, size_t n, int sig, struct berth_error *err);

/* ---- convert.c: v1 <-> v2 value conversions (unit tested) ---- */

uint64_t cg_shares_to_weight(uint64_t shares);	   /* 0 -> 0 (unset) */
uint64_t cg_blkio_weight_to_io_weight(uint64_t w); /* 10..1000 -> 1..10000; 0 -> 0 */
/* memory.swap.max from OCI swap (memory+swap) and limit. Writes "max" or a
 * number into buf; returns 1 when nothing is to be written, -1 on error. */
int cg_swap_to_v2(bool has_swap, int64_t swap, bool has_limit, int64_t limit, char *buf, size_t len,
		  struct berth_error *err);
/* cpu.max "quota period" or "max period"; returns 1 when nothing to write. */
int cg_cpu_max(bool has_quota, int64_t quota, bool has_period, uint64_t period, char *buf,
	       size_t len);
/* "-1"/"max"-style limit to v2 text: negative -> "max". */
void cg_limit_v2(int64_t v, char *buf, size_t len);
/* Access "rwm" subset to BPF_DEVCG_ACC_* bits; -1 on a bad letter. */
int cg_access_bits(const char *access);
/* "c 1:3 rwm" line for v1 devices.allow/deny. */
void cg_device_rule_v1(const struct berth_device_cgroup *d, char *buf, size_t len);

/* ---- resources_v1.c / resources_v2.c ---- */

struct cg_device_list {
	struct berth_device_cgroup *rules;
	size_t n;
};
/* The config's rules, then the default allowed devices; never a rule for
 * linux.devices, which only makes nodes (as runc). Free rules with free(). */
int cg_device_rules(const struct berth_resources *r, struct cg_device_list *out,
		    struct berth_error *err);

/* v1: find the hierarchy carrying `controller`; NULL when not mounted. */
struct cg_hier *cg_v1_hier(struct cgroup_manager *m, const char *controller);
int cg_v1_apply(struct cgroup_manager *m, const struct berth_resources *r, bool update,
		struct berth_error *err);
int cg_v2_apply_unified(const char *dir, const struct berth_resources *r, struct berth_error *err);
int cg_v2_apply(struct cgroup_manager *m, const struct berth_resources *r, bool update,
		struct berth_error *err);
/* v1 and hybrid hosts: refuse, before anything is made, a unified key whose
 * controller is not on the cgroup2 mounted at v2_mount (NULL: none). */
int cg_unified_check(const char *v2_mount, const struct berth_resources *r,
		     struct berth_error *err);
/* Does r ask for anything at all? (rootless decides from this) */
bool cg_resources_requested(const struct berth_resources *r);

/* ---- bpf_devices.c ---- */

struct bpf_insn;
/* Build the program: last matching rule wins, no match denies. free() *insns. */
int cg_bpf_devices_build(const struct berth_device_cgroup *rules, size_t n, struct bpf_insn **insns,
			 size_t *n_insns, struct berth_error *err);
/* Load and attach to the cgroup dir fd, replacing programs attached before. */
int cg_bpf_devices_apply(int cgroup_fd, const struct berth_device_cgroup *rules, size_t n,
			 struct berth_error *err);

/* ---- freezer.c ---- */

int cg_freeze_v1(const char *dir, bool frozen, struct berth_error *err);
int cg_is_frozen_v1(const char *dir, bool *frozen, struct berth_error *err);
int cg_freeze_v2(const char *dir, bool frozen, struct berth_error *err);
int cg_is_frozen_v2(const char *dir, bool *frozen, struct berth_error *err);
/* A frozen cgroup (or one below a frozen ancestor) would hold the init
 * forever in D state: refuse it, in runc's words, before making anything.
 * Either dir may be NULL or not exist yet. */
int cg_refuse_frozen(const char *v1_freezer_dir, const char *v2_dir, struct berth_error *err);

/* ---- stats.c ---- */

int cg_stats_v1(struct cgroup_manager *m, struct cgroup_stats *st, struct berth_error *err);
int cg_stats_v2(const char *dir, struct cgroup_stats *st, struct berth_error *err);

/* ---- shared driver pieces (v1.c, v2.c used by hybrid.c) ---- */

/* must_be_unused: refuse an existing leaf with processes (not so for a
 * systemd unit's, which holds the init already). */
int cg_v1_create_dirs(struct cgroup_manager *m, bool must_be_unused, struct berth_error *err);
int cg_v1_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err);
int cg_v1_destroy(struct cgroup_manager *m, struct berth_error *err);
int cg_v1_freeze(struct cgroup_manager *m, bool frozen, struct berth_error *err);
int cg_v1_is_frozen(struct cgroup_manager *m, bool *frozen, struct berth_error *err);
int cg_v1_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, struct berth_error *err);
int cg_v1_oom_count(struct cgroup_manager *m, uint64_t *count, struct berth_error *err);
int cg_v2_create_dir(struct cgroup_manager *m, bool enable_controllers, struct berth_error *err);
/* hybrid.c: the v1 hierarchies plus the unified cgroup when v2_usable. */
/* linux.resources.unified into the unified cgroup (an error without one). */
int cg_hybrid_apply_unified(struct cgroup_manager *m, const struct berth_resources *r,
			    struct berth_error *err);
int cg_hybrid_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err);
int cg_hybrid_freeze(struct cgroup_manager *m, bool frozen, struct berth_error *err);
int cg_hybrid_is_frozen(struct cgroup_manager *m, bool *frozen, struct berth_error *err);
int cg_hybrid_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, struct berth_error *err);
int cg_hybrid_kill_all(struct cgroup_manager *m, int sig, struct berth_error *err);
int cg_v2_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err);
int cg_v2_destroy(struct cgroup_manager *m, struct berth_error *err);
/* Kill everything listed in `dir` (recursively), SIGKILL via cgroup.kill when
 * the kernel has it, else freeze + signal + thaw with `freeze` */
int cg_kill_dir(const char *dir, int sig, bool v2, struct berth_error *err);

/* Build a manager of a given kind without detection (unit tests point the v2
 * driver at /sys/fs/cgroup/unified with this). */
struct cgroup_manager *cg_manager_make(enum cg_kind kind, const struct cg_mounts *mnt,
				       const char *saved_path, struct berth_error *err);

#endif
