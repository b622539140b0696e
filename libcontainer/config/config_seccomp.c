/* config_seccomp.c - linux.seccomp: the profile as data, names resolved.
 *
 * Actions and operators become enums, flags a bit set; architectures are
 * checked against the spec's list and kept as names for the seccomp module,
 * which maps them to libseccomp (this file must never link libseccomp: the
 * parser has to stay cheap and testable without it). Syscall names are not
 * checked here: whether a name exists depends on the architecture. */
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define SECCOMP_ARGS_MAX 6 /* a syscall has at most six arguments */

/* Only these two actions carry a return value. */
static bool takes_errno(enum berth_seccomp_action a)
{
	return a == BERTH_SCMP_ACT_ERRNO || a == BERTH_SCMP_ACT_TRACE;
}

static int action(json_t *o, const char *path, const char *key, enum berth_seccomp_action *out,
		  struct berth_error *err)
{
	const struct cfg_name_value *e = NULL;

	if (cfg_enum(o, path, key, CJ_REQ, &cfg_seccomp_actions, &e, NULL, err) < 0)
		return -1;
	*out = (enum berth_seccomp_action)e->value;
	return 0;
}

static int parse_args(json_t *o, const char *path, struct berth_seccomp_syscall *sc,
		      struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array_alloc(o, path, "args", sizeof(*sc->args), (void **)&sc->args, &sc->n_args,
				&arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < sc->n_args; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_seccomp_arg *a = &sc->args[i];
		const struct cfg_name_value *e = NULL;
		json_t *item = cj_item_object(arr, path, "args", i, ip, err);

		if (!item || cj_uint32(item, ip, "index", CJ_REQ, &a->index, err) < 0)
			return -1;
		if (a->index >= SECCOMP_ARGS_MAX)
			return cj_fail(err, ip, "index", "%u is not an argument index (0..5)",
				       a->index);
		if (cj_uint64(item, ip, "value", CJ_REQ, &a->value, err) < 0 ||
		    cj_uint64(item, ip, "valueTwo", CJ_OPT, &a->value_two, err) < 0 ||
		    cfg_enum(item, ip, "op", CJ_REQ, &cfg_seccomp_ops, &e, NULL, err) < 0)
			return -1;
		a->op = (enum berth_seccomp_op)e->value;
	}
	return 1;
}

static int parse_syscalls(json_t *o, const char *path, struct berth_seccomp *s,
			  struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array_alloc(o, path, "syscalls", sizeof(*s->syscalls), (void **)&s->syscalls,
				&s->n_syscalls, &arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < s->n_syscalls; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_seccomp_syscall *sc = &s->syscalls[i];
		json_t *item = cj_item_object(arr, path, "syscalls", i, ip, err);

		if (!item || cj_strv(item, ip, "names", CJ_REQ, &sc->names, &sc->n_names, err) < 0)
			return -1;
		if (sc->n_names == 0)
			return cj_fail(err, ip, "names", "must name at least one syscall");
		for (size_t j = 0; j < sc->n_names; j++)
			if (!sc->names[j][0])
				return cj_fail(err, ip, "names", "entry %zu is empty", j);
		if (action(item, ip, "action", &sc->action, err) < 0)
			return -1;
		if ((rc = cj_uint32(item, ip, "errnoRet", CJ_OPT, &sc->errno_ret, err)) < 0)
			return -1;
		sc->has_errno_ret = rc > 0;
		if (sc->has_errno_ret && !takes_errno(sc->action))
			return cj_fail(
			    err, ip, "errnoRet",
			    "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a return value");
		if (parse_args(item, ip, sc, err) < 0)
			return -1;
	}
	return 1;
}

int cfg_parse_seccomp(json_t *o, const char *path, struct berth_seccomp *s, struct berth_error *err)
{
	uint64_t flags = 0;
	int rc;

	s->present = true;
	if (action(o, path, "defaultAction", &s->default_action, err) < 0)
		return -1;
	if ((rc = cj_uint32(o, path, "defaultErrnoRet", CJ_OPT, &s->default_errno_ret, err)) < 0)
		return -1;
	s->has_default_errno_ret = rc > 0;
	if (s->has_default_errno_ret && !takes_errno(s->default_action))
		return cj_fail(err, path, "defaultErrnoRet",
			       "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a return value");
	if (cfg_enum_list(o, path, "architectures", &cfg_seccomp_arches, &s->architectures,
			  &s->n_architectures, NULL, err) < 0 ||
	    cfg_enum_list(o, path, "flags", &cfg_seccomp_flags, &s->flags, &s->n_flags, &flags,
			  err) < 0 ||
	    cj_string(o, path, "listenerPath", CJ_OPT, &s->listener_path, err) < 0 ||
	    cj_string(o, path, "listenerMetadata", CJ_OPT, &s->listener_metadata, err) < 0)
		return -1;
	s->flags_value = (uint32_t)flags;
	if (s->listener_metadata && !s->listener_path)
		return cj_fail(err, path, "listenerMetadata", "is set but listenerPath is not");
	if (s->listener_path && !s->listener_path[0])
		return cj_fail(err, path, "listenerPath", "must not be empty");
	return parse_syscalls(o, path, s, err) < 0 ? -1 : 0;
}
