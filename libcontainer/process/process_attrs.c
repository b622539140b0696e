/* process_attrs.c - one setting of process.* each: rlimits, scheduler,
 * I/O priority, CPU affinity, personality, user and groups. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "identity.h"

int process_set_rlimits(const struct berth_process *p, struct berth_error *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct berth_rlimit *r = &p->rlimits[i];
		struct rlimit rl = {.rlim_cur = r->soft, .rlim_max = r->hard};
		if (setrlimit(r->resource, &rl) < 0)
			return berr_sys(err, errno, "process.rlimits[%zu] (%s): setrlimit", i,
					r->type);
	}
	return 0;
}

/* sched_setattr(2) has no glibc wrapper. */
struct berth_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_WHO_PROCESS 1

int process_set_sched(const struct berth_process *p, struct berth_error *err)
{
	if (p->scheduler.present) {
		const struct berth_scheduler *s = &p->scheduler;
		struct berth_sched_attr a = {
		    .size = sizeof(a),
		    .sched_policy = (uint32_t)s->policy_value,
		    .sched_flags = s->flags_value,
		    .sched_nice = s->has_nice ? s->nice : 0,
		    .sched_priority = s->has_priority ? (uint32_t)s->priority : 0,
		    .sched_runtime = s->has_runtime ? s->runtime : 0,
		    .sched_deadline = s->has_deadline ? s->deadline : 0,
		    .sched_period = s->has_period ? s->period : 0,
		};
		if (syscall(SYS_sched_setattr, 0, &a, 0) < 0)
			return berr_sys(err, errno, "process.scheduler (%s): sched_setattr",
					s->policy);
	}
	if (p->io_priority.present) {
		int prio =
		    (p->io_priority.class_value << IOPRIO_CLASS_SHIFT) | p->io_priority.priority;
		if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, prio) < 0)
			return berr_sys(err, errno, "process.ioPriority: ioprio_set");
	}
	return 0;
}

static int parse_cpu_list(const char *s, cpu_set_t *set)
{
	CPU_ZERO(set);
	while (*s) {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b;
		if (end == s)
			return -1;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s || b < a)
				return -1;
		}
		if (b >= CPU_SETSIZE)
			return -1;
		for (unsigned long c = a; c <= b; c++)
			CPU_SET(c, set);
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return 0;
}

int process_set_cpu_affinity(const char *cpus, const char *field, struct berth_error *err)
{
	cpu_set_t set;

	if (parse_cpu_list(cpus, &set) < 0)
		return berr_set(err, "%s: invalid CPU list \"%s\"", field, cpus);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		return berr_sys(err, errno, "%s: sched_setaffinity", field);
	return 0;
}

int process_set_personality(const struct berth_personality *per, struct berth_error *err)
{
	if (!per->present)
		return 0;
	if (personality(per->domain_value) < 0)
		return berr_sys(err, errno, "linux.personality (%s)", per->domain);
	return 0;
}

int process_set_user(const struct berth_process *p, bool setgroups_allowed, struct berth_error *err)
{
	const struct berth_user *u = &p->user;

	if (setgroups_allowed) {
		gid_t groups[256] = {0};
		size_t n = u->n_additional_gids;
		if (n > sizeof(groups) / sizeof(groups[0]))
			return berr_set(err, "process.user.additionalGids: too many groups (%zu)",
					n);
		for (size_t i = 0; i < n; i++)
			groups[i] = u->additional_gids[i];
		/* With no extra groups, a userns with setgroups=deny is fine as it is. */
		if (setgroups(n, groups) < 0 && !(errno == EPERM && n == 0))
			return berr_sys(err, errno, "process.user.additionalGids: setgroups");
	} else if (u->n_additional_gids > 0) {
		return berr_set(err, "process.user.additionalGids: cannot set groups in a user "
				     "namespace with setgroups denied");
	}
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return berr_sys(err, errno, "process.user.gid %u: setresgid", u->gid);
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return berr_sys(err, errno, "process.user.uid %u: setresuid", u->uid);
	if (u->has_umask)
		umask((mode_t)u->umask);
	return 0;
}
