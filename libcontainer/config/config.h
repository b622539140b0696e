/* config.h - the OCI runtime-spec 1.3 config.json model (Linux fields).
 *
 * The parser (config_parse*.c) turns config.json into these plain structs
 * once, validating as it goes; nothing below the parser ever sees json_t.
 * Strings are owned, NUL-terminated, NULL when absent. Arrays come with a
 * count (`n_*`); string arrays (char **) are also NULL-terminated, so args
 * and env can go to execve() as they are. Optional numbers come with a
 * `has_*` flag. Enum names are kept as written and resolved to numbers in
 * the `*_value` fields (or typed enums) by the parser. */
#ifndef BERTH_CONFIG_H
#define BERTH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/error.h"

/* ---- small shared pieces ---- */

struct berth_kv {
	char *key;
	char *value;
};

struct berth_id_mapping {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

/* ---- root, mounts ---- */

struct berth_root {
	char *path; /* as written in config.json (may be relative to the bundle) */
	bool readonly;
};

struct berth_mount {
	char *destination; /* absolute inside the container */
	char *type;	   /* may be NULL: then "bind" is implied by options */
	char *source;
	char **options;
	size_t n_options;
	struct berth_id_mapping *uid_mappings;
	size_t n_uid_mappings;
	struct berth_id_mapping *gid_mappings;
	size_t n_gid_mappings;
};

/* ---- process ---- */

struct berth_rlimit {
	char *type;   /* "RLIMIT_NOFILE" ... */
	int resource; /* RLIMIT_* resolved by the parser */
	uint64_t hard;
	uint64_t soft;
};

struct berth_capabilities {
	/* arrays with counts (also NULL-terminated); names like "CAP_KILL" */
	char **bounding;
	size_t n_bounding;
	char **effective;
	size_t n_effective;
	char **inheritable;
	size_t n_inheritable;
	char **permitted;
	size_t n_permitted;
	char **ambient;
	size_t n_ambient;
	bool present; /* process.capabilities was in the config */
};

struct berth_user {
	uint32_t uid;
	uint32_t gid;
	bool has_umask;
	uint32_t umask;
	uint32_t *additional_gids;
	size_t n_additional_gids;
	char *username; /* Windows-only in the spec, kept for completeness */
};

struct berth_io_priority {
	bool present;
	char *klass;	 /* "IOPRIO_CLASS_RT" | "IOPRIO_CLASS_BE" | "IOPRIO_CLASS_IDLE" */
	int class_value; /* IOPRIO_CLASS_* number resolved by the parser */
	int priority;
};

struct berth_scheduler {
	bool present;
	char *policy;	  /* "SCHED_OTHER" ... */
	int policy_value; /* SCHED_* resolved by the parser */
	bool has_nice;
	int32_t nice;
	bool has_priority;
	int32_t priority;
	char **flags; /* "SCHED_FLAG_RESET_ON_FORK" ... */
	size_t n_flags;
	uint64_t flags_value; /* SCHED_FLAG_* bits resolved by the parser */
	bool has_runtime;
	uint64_t runtime;
	bool has_deadline;
	uint64_t deadline;
	bool has_period;
	uint64_t period;
};

struct berth_exec_cpu_affinity {
	char *initial; /* cpu list "0-3,7", NULL when absent */
	char *final;
};

struct berth_process {
	bool terminal;
	bool has_console_size;
	uint32_t console_height;
	uint32_t console_width;
	struct berth_user user;
	char **args;
	size_t n_args;
	char **env; /* "K=V" */
	size_t n_env;
	char *cwd; /* absolute, required */
	struct berth_capabilities capabilities;
	struct berth_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	char *apparmor_profile;
	bool has_oom_score_adj;
	int oom_score_adj;
	char *selinux_label;
	struct berth_io_priority io_priority;
	struct berth_scheduler scheduler;
	struct berth_exec_cpu_affinity exec_cpu_affinity;
};

/* ---- hooks ---- */

struct berth_hook {
	char *path; /* absolute */
	char **args;
	size_t n_args;
	char **env;
	size_t n_env;
	bool has_env; /* "env" given, even empty: absent means the process's, for
		       * the hooks that run in the container (as runc) */
	bool has_timeout;
	int timeout; /* seconds, > 0 */
};

struct berth_hook_list {
	struct berth_hook *hooks;
	size_t n;
};

struct berth_hooks {
	struct berth_hook_list prestart; /* deprecated but still run */
	struct berth_hook_list create_runtime;
	struct berth_hook_list create_container;
	struct berth_hook_list start_container;
	struct berth_hook_list poststart;
	struct berth_hook_list poststop;
};

/* ---- linux: namespaces ---- */

enum berth_ns_type {
	BERTH_NS_PID,
	BERTH_NS_NETWORK,
	BERTH_NS_MOUNT,
	BERTH_NS_IPC,
	BERTH_NS_UTS,
	BERTH_NS_USER,
	BERTH_NS_CGROUP,
	BERTH_NS_TIME,
	BERTH_NS__COUNT
};

struct berth_namespace {
	enum berth_ns_type type;
	char *path; /* NULL: create a new one; else join this one */
};

struct berth_time_offset {
	bool present;
	int64_t secs;
	uint32_t nanosecs;
};

/* ---- linux: devices ---- */

struct berth_device {
	char *path; /* absolute inside the container */
	char type;  /* 'c', 'b', 'u' or 'p' */
	int64_t major;
	int64_t minor;
	bool has_file_mode;
	uint32_t file_mode;
	bool has_uid;
	uint32_t uid;
	bool has_gid;
	uint32_t gid;
};

struct berth_net_device {
	char *host_name; /* the key of linux.netDevices */
	char *name;	 /* name inside the container, may be NULL (= host_name) */
};

/* ---- linux: resources ---- */

struct berth_device_cgroup {
	bool allow;
	char type; /* 'a', 'c' or 'b'; 'a' when absent */
	bool has_major;
	int64_t major; /* -1 = wildcard when !has_major */
	bool has_minor;
	int64_t minor;
	char *access; /* "rwm" subset; NULL = all */
};

struct berth_memory {
	bool present;
	bool has_limit;
	int64_t limit;
	bool has_reservation;
	int64_t reservation;
	bool has_swap;
	int64_t swap;
	bool has_kernel;
	int64_t kernel;
	bool has_kernel_tcp;
	int64_t kernel_tcp;
	bool has_swappiness;
	uint64_t swappiness;
	bool has_disable_oom_killer;
	bool disable_oom_killer;
	bool has_use_hierarchy;
	bool use_hierarchy;
	bool check_before_update;
};

struct berth_cpu {
	bool present;
	bool has_shares;
	uint64_t shares;
	bool has_quota;
	int64_t quota;
	bool has_burst;
	uint64_t burst;
	bool has_period;
	uint64_t period;
	bool has_realtime_runtime;
	int64_t realtime_runtime;
	bool has_realtime_period;
	uint64_t realtime_period;
	char *cpus;
	char *mems;
	bool has_idle;
	int64_t idle;
};

struct berth_weight_device {
	int64_t major;
	int64_t minor;
	bool has_weight;
	uint16_t weight;
	bool has_leaf_weight;
	uint16_t leaf_weight;
};

struct berth_throttle_device {
	int64_t major;
	int64_t minor;
	uint64_t rate;
};

struct berth_block_io {
	bool present;
	bool has_weight;
	uint16_t weight;
	bool has_leaf_weight;
	uint16_t leaf_weight;
	struct berth_weight_device *weight_devices;
	size_t n_weight_devices;
	struct berth_throttle_device *throttle_read_bps;
	size_t n_throttle_read_bps;
	struct berth_throttle_device *throttle_write_bps;
	size_t n_throttle_write_bps;
	struct berth_throttle_device *throttle_read_iops;
	size_t n_throttle_read_iops;
	struct berth_throttle_device *throttle_write_iops;
	size_t n_throttle_write_iops;
};

struct berth_hugepage_limit {
	char *page_size; /* "2MB" */
	uint64_t limit;
};

struct berth_net_priority {
	char *name;
	uint32_t priority;
};

struct berth_network_resources {
	bool present;
	bool has_class_id;
	uint32_t class_id;
	struct berth_net_priority *priorities;
	size_t n_priorities;
};

struct berth_rdma_limit {
	char *device; /* the key of linux.resources.rdma */
	bool has_hca_handles;
	uint32_t hca_handles;
	bool has_hca_objects;
	uint32_t hca_objects;
};

struct berth_resources {
	bool present;
	struct berth_device_cgroup *devices;
	size_t n_devices;
	struct berth_memory memory;
	struct berth_cpu cpu;
	bool has_pids_limit;
	int64_t pids_limit;
	struct berth_block_io block_io;
	struct berth_hugepage_limit *hugepage_limits;
	size_t n_hugepage_limits;
	struct berth_network_resources network;
	struct berth_rdma_limit *rdma;
	size_t n_rdma;
	struct berth_kv *unified; /* raw cgroup v2 "file": "value" */
	size_t n_unified;
};

/* ---- linux: seccomp ---- */

enum berth_seccomp_op {
	BERTH_SCMP_CMP_NE,
	BERTH_SCMP_CMP_LT,
	BERTH_SCMP_CMP_LE,
	BERTH_SCMP_CMP_EQ,
	BERTH_SCMP_CMP_GE,
	BERTH_SCMP_CMP_GT,
	BERTH_SCMP_CMP_MASKED_EQ,
};

struct berth_seccomp_arg {
	uint32_t index;
	uint64_t value;
	uint64_t value_two;
	enum berth_seccomp_op op;
};

/* Actions by their OCI name; the seccomp module maps them to libseccomp. */
enum berth_seccomp_action {
	BERTH_SCMP_ACT_KILL,
	BERTH_SCMP_ACT_KILL_PROCESS,
	BERTH_SCMP_ACT_KILL_THREAD,
	BERTH_SCMP_ACT_TRAP,
	BERTH_SCMP_ACT_ERRNO,
	BERTH_SCMP_ACT_TRACE,
	BERTH_SCMP_ACT_ALLOW,
	BERTH_SCMP_ACT_LOG,
	BERTH_SCMP_ACT_NOTIFY,
};

struct berth_seccomp_syscall {
	char **names;
	size_t n_names;
	enum berth_seccomp_action action;
	bool has_errno_ret;
	uint32_t errno_ret;
	struct berth_seccomp_arg *args;
	size_t n_args;
};

struct berth_seccomp {
	bool present;
	enum berth_seccomp_action default_action;
	bool has_default_errno_ret;
	uint32_t default_errno_ret;
	char **architectures; /* "SCMP_ARCH_X86_64" ... */
	size_t n_architectures;
	char **flags; /* "SECCOMP_FILTER_FLAG_LOG" ... */
	size_t n_flags;
	uint32_t flags_value; /* SECCOMP_FILTER_FLAG_* bits resolved by the parser */
	char *listener_path;
	char *listener_metadata;
	struct berth_seccomp_syscall *syscalls;
	size_t n_syscalls;
};

/* ---- linux: the rest ---- */

struct berth_intel_rdt {
	bool present;
	char *clos_id;
	char **schemata;
	size_t n_schemata;
	char *l3_cache_schema;
	char *mem_bw_schema;
	bool enable_monitoring;
};

struct berth_personality {
	bool present;
	char *domain;		    /* "LINUX" | "LINUX32" */
	unsigned long domain_value; /* PER_LINUX / PER_LINUX32 */
	char **flags;
	size_t n_flags;
};

struct berth_memory_policy {
	bool present;
	char *mode; /* "MPOL_DEFAULT" ... */
	int mode_value;
	char *nodes;
	char **flags; /* "MPOL_F_STATIC_NODES" ... */
	size_t n_flags;
	unsigned flags_value;
};

struct berth_linux {
	struct berth_namespace *namespaces;
	size_t n_namespaces;
	struct berth_id_mapping *uid_mappings;
	size_t n_uid_mappings;
	struct berth_id_mapping *gid_mappings;
	size_t n_gid_mappings;
	struct berth_time_offset time_boottime;
	struct berth_time_offset time_monotonic;
	struct berth_device *devices;
	size_t n_devices;
	struct berth_net_device *net_devices;
	size_t n_net_devices;
	char *cgroups_path;
	struct berth_resources resources;
	struct berth_intel_rdt intel_rdt;
	struct berth_kv *sysctl;
	size_t n_sysctl;
	struct berth_seccomp seccomp;
	char *rootfs_propagation; /* "private" "shared" "slave" "unbindable" or NULL */
	unsigned long rootfs_propagation_value; /* MS_PRIVATE ... resolved; 0 when absent */
	char **masked_paths;
	size_t n_masked_paths;
	char **readonly_paths;
	size_t n_readonly_paths;
	char *mount_label;
	struct berth_personality personality;
	struct berth_memory_policy memory_policy;
};

/* ---- the whole document ---- */

struct berth_spec {
	char *oci_version;
	struct berth_root root;
	struct berth_mount *mounts;
	size_t n_mounts;
	bool has_process;
	struct berth_process process;
	char *hostname;
	char *domainname;
	struct berth_hooks hooks;
	struct berth_kv *annotations;
	size_t n_annotations;
	bool has_linux;
	struct berth_linux linux_;
};

/* Parse a config.json document held in memory. Returns NULL and fills err
 * ("linux.resources.memory.limit: expected an integer, got \"1G\"") on any
 * problem. The result is freed with berth_spec_free(). */
struct berth_spec *berth_spec_parse(const char *data, size_t len, struct berth_error *err);
/* Read and parse a file (e.g. "<bundle>/config.json"). */
struct berth_spec *berth_spec_load(const char *path, struct berth_error *err);
void berth_spec_free(struct berth_spec *spec);

/* Parse a process.json document (the `process` object alone), as `exec -p`
 * takes it. Same validation as config.json's process. */
struct berth_process *berth_process_parse(const char *data, size_t len, struct berth_error *err);
void berth_process_free(struct berth_process *p);

/* Lookups over the model. */
const struct berth_namespace *berth_spec_namespace(const struct berth_spec *spec,
						   enum berth_ns_type type);
const char *berth_ns_type_name(enum berth_ns_type type); /* "pid", "network", ... */
int berth_ns_clone_flag(enum berth_ns_type type);	 /* CLONE_NEWPID, ... */

#endif
