/* config_process.c - the `process` object, from config.json or process.json.
 *
 * One reader for both: `create` finds it under "process", `exec -p` gets it
 * as a whole document (its messages then name fields from the top, e.g.
 * "cwd: ..."). Names (RLIMIT_*, SCHED_*, IOPRIO_CLASS_*) are resolved to
 * numbers here so the code that applies them never compares strings.
 * Capability names are left to the caps module, which knows the running
 * kernel's set. Must never look at anything outside the object. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000
#define IOPRIO_LEVEL_MAX  7
#define NICE_MIN	  (-20)
#define NICE_MAX	  19

/* runc reads an absent user (or gid) as 0: so do we, for config.json and
 * process.json alike. A user object without "uid" stays an error (see
 * docs/strictness.md): a misspelt key must not silently mean root. */
static int parse_user(json_t *p, const char *path, struct berth_user *u, struct berth_error *err)
{
	char up[CJ_PATH_MAX];
	json_t *o;
	int rc = cj_object(p, path, "user", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(up, path, "user");
	if (cj_uint32(o, up, "uid", CJ_REQ, &u->uid, err) < 0 ||
	    cj_uint32(o, up, "gid", CJ_OPT, &u->gid, err) < 0)
		return -1;
	rc = cj_uint32(o, up, "umask", CJ_OPT, &u->umask, err);
	if (rc < 0)
		return -1;
	u->has_umask = rc > 0;
	if (u->has_umask && u->umask > 0777)
		return cj_fail(err, up, "umask", "%u is not a file mode mask (0..511)", u->umask);
	if (cj_u32v(o, up, "additionalGids", CJ_OPT, &u->additional_gids, &u->n_additional_gids,
		    err) < 0 ||
	    cj_string(o, up, "username", CJ_OPT, &u->username, err) < 0)
		return -1;
	return 1;
}

static int parse_console_size(json_t *p, const char *path, struct berth_process *proc,
			      struct berth_error *err)
{
	char cp[CJ_PATH_MAX];
	json_t *o;
	int rc = cj_object(p, path, "consoleSize", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(cp, path, "consoleSize");
	if (cj_uint32(o, cp, "height", CJ_REQ, &proc->console_height, err) < 0 ||
	    cj_uint32(o, cp, "width", CJ_REQ, &proc->console_width, err) < 0)
		return -1;
	proc->has_console_size = true;
	return 1;
}

static int parse_caps(json_t *p, const char *path, struct berth_capabilities *c,
		      struct berth_error *err)
{
	char cp[CJ_PATH_MAX];
	json_t *o;
	int rc = cj_object(p, path, "capabilities", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(cp, path, "capabilities");
	c->present = true;
	if (cj_strv(o, cp, "bounding", CJ_OPT, &c->bounding, &c->n_bounding, err) < 0 ||
	    cj_strv(o, cp, "effective", CJ_OPT, &c->effective, &c->n_effective, err) < 0 ||
	    cj_strv(o, cp, "inheritable", CJ_OPT, &c->inheritable, &c->n_inheritable, err) < 0 ||
	    cj_strv(o, cp, "permitted", CJ_OPT, &c->permitted, &c->n_permitted, err) < 0 ||
	    cj_strv(o, cp, "ambient", CJ_OPT, &c->ambient, &c->n_ambient, err) < 0)
		return -1;
	return 1;
}

static int parse_rlimits(json_t *p, const char *path, struct berth_process *proc,
			 struct berth_error *err)
{
	json_t *arr;
	uint64_t seen = 0; /* RLIMIT_* numbers are < 64: one bit each finds duplicates */
	int rc = cj_array_alloc(p, path, "rlimits", sizeof(*proc->rlimits), (void **)&proc->rlimits,
				&proc->n_rlimits, &arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < proc->n_rlimits; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_rlimit *r = &proc->rlimits[i];
		const struct cfg_name_value *e = NULL;
		json_t *o = cj_item_object(arr, path, "rlimits", i, ip, err);

		if (!o || cfg_enum(o, ip, "type", CJ_REQ, &cfg_rlimits, &e, &r->type, err) < 0 ||
		    cj_uint64(o, ip, "soft", CJ_REQ, &r->soft, err) < 0 ||
		    cj_uint64(o, ip, "hard", CJ_REQ, &r->hard, err) < 0)
			return -1;
		r->resource = (int)e->value;
		if (seen & (1ULL << r->resource))
			return cj_fail(err, ip, "type", "duplicate rlimit type \"%s\"", r->type);
		seen |= 1ULL << r->resource;
		if (r->soft > r->hard)
			return cj_fail(err, ip, NULL, "soft limit %llu is above hard limit %llu",
				       (unsigned long long)r->soft, (unsigned long long)r->hard);
	}
	return 1;
}

static int parse_io_priority(json_t *p, const char *path, struct berth_io_priority *io,
			     struct berth_error *err)
{
	char ip[CJ_PATH_MAX];
	const struct cfg_name_value *e = NULL;
	json_t *o;
	int64_t prio = 0;
	int rc = cj_object(p, path, "ioPriority", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(ip, path, "ioPriority");
	if (cfg_enum(o, ip, "class", CJ_REQ, &cfg_ioprio_classes, &e, &io->klass, err) < 0 ||
	    cj_int_range(o, ip, "priority", CJ_OPT, 0, IOPRIO_LEVEL_MAX, &prio, err) < 0)
		return -1;
	io->class_value = (int)e->value;
	io->priority = (int)prio;
	io->present = true;
	return 1;
}

static int parse_scheduler(json_t *p, const char *path, struct berth_scheduler *s,
			   struct berth_error *err)
{
	char sp[CJ_PATH_MAX];
	const struct cfg_name_value *e = NULL;
	json_t *o;
	int64_t nice;
	int rc = cj_object(p, path, "scheduler", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(sp, path, "scheduler");
	if (cfg_enum(o, sp, "policy", CJ_REQ, &cfg_sched_policies, &e, &s->policy, err) < 0)
		return -1;
	s->policy_value = (int)e->value;
	rc = cj_int_range(o, sp, "nice", CJ_OPT, NICE_MIN, NICE_MAX, &nice, err);
	if (rc < 0)
		return -1;
	s->has_nice = rc > 0;
	s->nice = rc > 0 ? (int32_t)nice : 0;
	if ((rc = cj_int32(o, sp, "priority", CJ_OPT, &s->priority, err)) < 0)
		return -1;
	s->has_priority = rc > 0;
	if (cfg_enum_list(o, sp, "flags", &cfg_sched_flags, &s->flags, &s->n_flags, &s->flags_value,
			  err) < 0)
		return -1;
	if ((rc = cj_uint64(o, sp, "runtime", CJ_OPT, &s->runtime, err)) < 0)
		return -1;
	s->has_runtime = rc > 0;
	if ((rc = cj_uint64(o, sp, "deadline", CJ_OPT, &s->deadline, err)) < 0)
		return -1;
	s->has_deadline = rc > 0;
	if ((rc = cj_uint64(o, sp, "period", CJ_OPT, &s->period, err)) < 0)
		return -1;
	s->has_period = rc > 0;
	s->present = true;
	return 1;
}

/* The schema's pattern for CPU lists: ^[0-9, -]*$ */
static int cpu_list(json_t *o, const char *path, const char *key, char **out,
		    struct berth_error *err)
{
	int rc = cj_string(o, path, key, CJ_OPT, out, err);

	if (rc <= 0)
		return rc;
	if ((*out)[strspn(*out, "0123456789, -")] != '\0')
		return cj_fail(err, path, key, "not a CPU list: \"%.64s\"", *out);
	return 1;
}

static int parse_affinity(json_t *p, const char *path, struct berth_exec_cpu_affinity *a,
			  struct berth_error *err)
{
	char ap[CJ_PATH_MAX];
	json_t *o;
	int rc = cj_object(p, path, "execCPUAffinity", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(ap, path, "execCPUAffinity");
	if (cpu_list(o, ap, "initial", &a->initial, err) < 0 ||
	    cpu_list(o, ap, "final", &a->final, err) < 0)
		return -1;
	return 1;
}

int cfg_parse_process(json_t *o, const char *path, struct berth_process *p, struct berth_error *err)
{
	int64_t oom;
	int rc;

	if (cj_bool(o, path, "terminal", CJ_OPT, &p->terminal, err) < 0 ||
	    parse_console_size(o, path, p, err) < 0 || parse_user(o, path, &p->user, err) < 0 ||
	    cj_strv(o, path, "args", CJ_REQ, &p->args, &p->n_args, err) < 0)
		return -1;
	if (p->n_args == 0)
		return cj_fail(err, path, "args", "must name a program (got an empty array)");
	if (cj_strv(o, path, "env", CJ_OPT, &p->env, &p->n_env, err) < 0 ||
	    cj_string(o, path, "cwd", CJ_REQ, &p->cwd, err) < 0 ||
	    cfg_check_abs(p->cwd, path, "cwd", err) < 0 ||
	    parse_caps(o, path, &p->capabilities, err) < 0 || parse_rlimits(o, path, p, err) < 0 ||
	    cj_bool(o, path, "noNewPrivileges", CJ_OPT, &p->no_new_privileges, err) < 0 ||
	    cj_string(o, path, "apparmorProfile", CJ_OPT, &p->apparmor_profile, err) < 0 ||
	    cj_string(o, path, "selinuxLabel", CJ_OPT, &p->selinux_label, err) < 0)
		return -1;
	rc = cj_int_range(o, path, "oomScoreAdj", CJ_OPT, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX,
			  &oom, err);
	if (rc < 0)
		return -1;
	p->has_oom_score_adj = rc > 0;
	p->oom_score_adj = rc > 0 ? (int)oom : 0;
	if (parse_io_priority(o, path, &p->io_priority, err) < 0 ||
	    parse_scheduler(o, path, &p->scheduler, err) < 0 ||
	    parse_affinity(o, path, &p->exec_cpu_affinity, err) < 0)
		return -1;
	return 0;
}

struct berth_process *berth_process_parse(const char *data, size_t len, struct berth_error *err)
{
	json_t *doc = cj_decode(data, len, err);

	if (!doc)
		return NULL;
	struct berth_process *p = calloc(1, sizeof(*p));
	if (!p) {
		json_decref(doc);
		berr_sys(err, ENOMEM, "parse process");
		return NULL;
	}
	int rc = cfg_parse_process(doc, "", p, err);
	json_decref(doc);
	if (rc < 0) {
		berth_process_free(p);
		return NULL;
	}
	return p;
}
