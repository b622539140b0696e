/* config_tables.c - the OCI enum names and the numbers they stand for.
 *
 * Keep every table sorted by name (strcmp order): lookups are bsearch and
 * test_config checks the order. Numbers the libc headers of older systems
 * lack are named here once, with the kernel's value. */
#include "config_tables.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include "config.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

/* sched(7) policies; SCHED_ISO is reserved by the kernel but named by the spec. */
#define BERTH_SCHED_OTHER    0
#define BERTH_SCHED_FIFO     1
#define BERTH_SCHED_RR	     2
#define BERTH_SCHED_BATCH    3
#define BERTH_SCHED_ISO	     4
#define BERTH_SCHED_IDLE     5
#define BERTH_SCHED_DEADLINE 6

/* <linux/ioprio.h> */
#define BERTH_IOPRIO_CLASS_RT	1
#define BERTH_IOPRIO_CLASS_BE	2
#define BERTH_IOPRIO_CLASS_IDLE 3

/* <linux/mempolicy.h> */
#define BERTH_MPOL_DEFAULT	       0
#define BERTH_MPOL_PREFERRED	       1
#define BERTH_MPOL_BIND		       2
#define BERTH_MPOL_INTERLEAVE	       3
#define BERTH_MPOL_LOCAL	       4
#define BERTH_MPOL_PREFERRED_MANY      5
#define BERTH_MPOL_WEIGHTED_INTERLEAVE 6
#define BERTH_MPOL_F_NUMA_BALANCING    (1 << 13)
#define BERTH_MPOL_F_RELATIVE_NODES    (1 << 14)
#define BERTH_MPOL_F_STATIC_NODES      (1 << 15)

#define TABLE(var, what_, arr)                                                                     \
	const struct cfg_table var = {what_, arr, sizeof(arr) / sizeof(arr[0])}

static const struct cfg_name_value ns_types[] = {
    {"cgroup", BERTH_NS_CGROUP},   {"ipc", BERTH_NS_IPC}, {"mount", BERTH_NS_MOUNT},
    {"network", BERTH_NS_NETWORK}, {"pid", BERTH_NS_PID}, {"time", BERTH_NS_TIME},
    {"user", BERTH_NS_USER},	   {"uts", BERTH_NS_UTS},
};
TABLE(cfg_namespace_types, "namespace type", ns_types);

static const struct cfg_name_value rlimits[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};
TABLE(cfg_rlimits, "rlimit type", rlimits);

static const struct cfg_name_value sched_policies[] = {
    {"SCHED_BATCH", BERTH_SCHED_BATCH}, {"SCHED_DEADLINE", BERTH_SCHED_DEADLINE},
    {"SCHED_FIFO", BERTH_SCHED_FIFO},	{"SCHED_IDLE", BERTH_SCHED_IDLE},
    {"SCHED_ISO", BERTH_SCHED_ISO},	{"SCHED_OTHER", BERTH_SCHED_OTHER},
    {"SCHED_RR", BERTH_SCHED_RR},
};
TABLE(cfg_sched_policies, "scheduler policy", sched_policies);

/* <linux/sched.h> SCHED_FLAG_* */
static const struct cfg_name_value sched_flags[] = {
    {"SCHED_FLAG_DL_OVERRUN", 0x04},	 {"SCHED_FLAG_KEEP_PARAMS", 0x10},
    {"SCHED_FLAG_KEEP_POLICY", 0x08},	 {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_RESET_ON_FORK", 0x01},	 {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
};
TABLE(cfg_sched_flags, "scheduler flag", sched_flags);

static const struct cfg_name_value ioprio_classes[] = {
    {"IOPRIO_CLASS_BE", BERTH_IOPRIO_CLASS_BE},
    {"IOPRIO_CLASS_IDLE", BERTH_IOPRIO_CLASS_IDLE},
    {"IOPRIO_CLASS_RT", BERTH_IOPRIO_CLASS_RT},
};
TABLE(cfg_ioprio_classes, "ioPriority class", ioprio_classes);

static const struct cfg_name_value seccomp_actions[] = {
    {"SCMP_ACT_ALLOW", BERTH_SCMP_ACT_ALLOW},
    {"SCMP_ACT_ERRNO", BERTH_SCMP_ACT_ERRNO},
    {"SCMP_ACT_KILL", BERTH_SCMP_ACT_KILL},
    {"SCMP_ACT_KILL_PROCESS", BERTH_SCMP_ACT_KILL_PROCESS},
    {"SCMP_ACT_KILL_THREAD", BERTH_SCMP_ACT_KILL_THREAD},
    {"SCMP_ACT_LOG", BERTH_SCMP_ACT_LOG},
    {"SCMP_ACT_NOTIFY", BERTH_SCMP_ACT_NOTIFY},
    {"SCMP_ACT_TRACE", BERTH_SCMP_ACT_TRACE},
    {"SCMP_ACT_TRAP", BERTH_SCMP_ACT_TRAP},
};
TABLE(cfg_seccomp_actions, "seccomp action", seccomp_actions);

static const struct cfg_name_value seccomp_ops[] = {
    {"SCMP_CMP_EQ", BERTH_SCMP_CMP_EQ}, {"SCMP_CMP_GE", BERTH_SCMP_CMP_GE},
    {"SCMP_CMP_GT", BERTH_SCMP_CMP_GT}, {"SCMP_CMP_LE", BERTH_SCMP_CMP_LE},
    {"SCMP_CMP_LT", BERTH_SCMP_CMP_LT}, {"SCMP_CMP_MASKED_EQ", BERTH_SCMP_CMP_MASKED_EQ},
    {"SCMP_CMP_NE", BERTH_SCMP_CMP_NE},
};
TABLE(cfg_seccomp_ops, "seccomp operator", seccomp_ops);

/* The architectures of the 1.3 schema; the seccomp module maps them. */
static const struct cfg_name_value seccomp_arches[] = {
    {"SCMP_ARCH_AARCH64", 0},	  {"SCMP_ARCH_ARM", 0},	   {"SCMP_ARCH_LOONGARCH64", 0},
    {"SCMP_ARCH_M68K", 0},	  {"SCMP_ARCH_MIPS", 0},   {"SCMP_ARCH_MIPS64", 0},
    {"SCMP_ARCH_MIPS64N32", 0},	  {"SCMP_ARCH_MIPSEL", 0}, {"SCMP_ARCH_MIPSEL64", 0},
    {"SCMP_ARCH_MIPSEL64N32", 0}, {"SCMP_ARCH_PARISC", 0}, {"SCMP_ARCH_PARISC64", 0},
    {"SCMP_ARCH_PPC", 0},	  {"SCMP_ARCH_PPC64", 0},  {"SCMP_ARCH_PPC64LE", 0},
    {"SCMP_ARCH_RISCV64", 0},	  {"SCMP_ARCH_S390", 0},   {"SCMP_ARCH_S390X", 0},
    {"SCMP_ARCH_SH", 0},	  {"SCMP_ARCH_SHEB", 0},   {"SCMP_ARCH_X32", 0},
    {"SCMP_ARCH_X86", 0},	  {"SCMP_ARCH_X86_64", 0},
};
TABLE(cfg_seccomp_arches, "seccomp architecture", seccomp_arches);

/* <linux/seccomp.h> SECCOMP_FILTER_FLAG_* */
static const struct cfg_name_value seccomp_flags[] = {
    {"SECCOMP_FILTER_FLAG_LOG", 2},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4},
    {"SECCOMP_FILTER_FLAG_TSYNC", 1},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 32},
};
TABLE(cfg_seccomp_flags, "seccomp flag", seccomp_flags);

/* The spec lists the first four; the recursive forms are what runc accepts
 * and what containerd writes ("rslave"), so they are read too. */
static const struct cfg_name_value propagations[] = {
    {"private", MS_PRIVATE},
    {"rprivate", MS_REC | MS_PRIVATE},
    {"rshared", MS_REC | MS_SHARED},
    {"rslave", MS_REC | MS_SLAVE},
    {"runbindable", MS_REC | MS_UNBINDABLE},
    {"shared", MS_SHARED},
    {"slave", MS_SLAVE},
    {"unbindable", MS_UNBINDABLE},
};
TABLE(cfg_propagations, "propagation", propagations);

static const struct cfg_name_value personalities[] = {
    {"LINUX", PER_LINUX},
    {"LINUX32", PER_LINUX32},
};
TABLE(cfg_personalities, "personality domain", personalities);

static const struct cfg_name_value mpol_modes[] = {
    {"MPOL_BIND", BERTH_MPOL_BIND},
    {"MPOL_DEFAULT", BERTH_MPOL_DEFAULT},
    {"MPOL_INTERLEAVE", BERTH_MPOL_INTERLEAVE},
    {"MPOL_LOCAL", BERTH_MPOL_LOCAL},
    {"MPOL_PREFERRED", BERTH_MPOL_PREFERRED},
    {"MPOL_PREFERRED_MANY", BERTH_MPOL_PREFERRED_MANY},
    {"MPOL_WEIGHTED_INTERLEAVE", BERTH_MPOL_WEIGHTED_INTERLEAVE},
};
TABLE(cfg_mpol_modes, "memoryPolicy mode", mpol_modes);

static const struct cfg_name_value mpol_flags[] = {
    {"MPOL_F_NUMA_BALANCING", BERTH_MPOL_F_NUMA_BALANCING},
    {"MPOL_F_RELATIVE_NODES", BERTH_MPOL_F_RELATIVE_NODES},
    {"MPOL_F_STATIC_NODES", BERTH_MPOL_F_STATIC_NODES},
};
TABLE(cfg_mpol_flags, "memoryPolicy flag", mpol_flags);

static const struct cfg_name_value freebsd_sharing[] = {
    {"disable", 0},
    {"inherit", 1},
    {"new", 2},
};
TABLE(cfg_freebsd_sharing, "sharing mode", freebsd_sharing);

static int cmp_entry(const void *key, const void *entry)
{
	return strcmp(key, ((const struct cfg_name_value *)entry)->name);
}

const struct cfg_name_value *cfg_lookup(const struct cfg_table *t, const char *name)
{
	return bsearch(name, t->entries, t->n, sizeof(t->entries[0]), cmp_entry);
}

int cfg_table_sorted(const struct cfg_table *t)
{
	for (size_t i = 1; i < t->n; i++)
		if (strcmp(t->entries[i - 1].name, t->entries[i].name) >= 0)
			return 0;
	return 1;
}

/* Indexed by enum berth_ns_type: the spec's name and the clone(2) flag. */
static const struct {
	const char *name;
	int flag;
} ns_info[BERTH_NS__COUNT] = {
    [BERTH_NS_PID] = {"pid", CLONE_NEWPID},	     [BERTH_NS_NETWORK] = {"network", CLONE_NEWNET},
    [BERTH_NS_MOUNT] = {"mount", CLONE_NEWNS},	     [BERTH_NS_IPC] = {"ipc", CLONE_NEWIPC},
    [BERTH_NS_UTS] = {"uts", CLONE_NEWUTS},	     [BERTH_NS_USER] = {"user", CLONE_NEWUSER},
    [BERTH_NS_CGROUP] = {"cgroup", CLONE_NEWCGROUP}, [BERTH_NS_TIME] = {"time", CLONE_NEWTIME},
};

const char *berth_ns_type_name(enum berth_ns_type type)
{
	if ((unsigned)type >= BERTH_NS__COUNT)
		return NULL;
	return ns_info[type].name;
}

int berth_ns_clone_flag(enum berth_ns_type type)
{
	if ((unsigned)type >= BERTH_NS__COUNT)
		return 0;
	return ns_info[type].flag;
}
