/* seccomp_compile.c - linux.seccomp -> classic BPF with libseccomp, in the
 * parent, before the clone.
 *
 * The program is exported (seccomp_export_bpf to a memfd: this libseccomp
 * may predate seccomp_export_bpf_mem) and installed later by the child with
 * the raw syscall, so libseccomp never loads anything itself and its
 * NO_NEW_PRIVS attribute is off. Never touches the calling process's own
 * seccomp state. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "seccomp_internal.h"

/* Linux syscalls take at most six arguments. */
#define SYSCALL_MAX_ARGS 6
/* Above this many rules libseccomp's binary-tree layout pays off; below it
 * (and with zero rules, where libseccomp <= 2.5.4 misbehaves) it doesn't.
 * runc uses the same threshold. */
#define OPTIMIZE_MIN_RULES 32

static void ctx_releasep(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

/* The libseccomp action for an OCI action; ERRNO and TRACE carry errnoRet
 * (EPERM when absent, as runc). */
static int action_value(enum berth_seccomp_action a, bool has_errno, uint32_t errno_ret,
			const char *field, uint32_t *out, struct berth_error *err)
{
	if ((size_t)a >= seccomp_n_action_names)
		return berr_set(err, "%s: invalid action %d", field, (int)a);
	if (a != BERTH_SCMP_ACT_ERRNO && a != BERTH_SCMP_ACT_TRACE) {
		*out = seccomp_action_names[a].value;
		return 0;
	}
	uint32_t data = has_errno ? errno_ret : EPERM;
	/* The action's data field is 16 bits wide. */
	if (data > 0xffff)
		return berr_set(err, "%s: errnoRet %u out of range (0-65535)", field, data);
	*out = a == BERTH_SCMP_ACT_ERRNO ? SCMP_ACT_ERRNO(data) : SCMP_ACT_TRACE(data);
	return 0;
}

static int add_architectures(scmp_filter_ctx ctx, const struct berth_seccomp *s,
			     struct berth_error *err)
{
	for (size_t i = 0; i < s->n_architectures; i++) {
		uint32_t tok = seccomp_arch_token(s->architectures[i]);
		if (tok == 0)
			return berr_set(
			    err, "linux.seccomp.architectures[%zu]: unknown architecture \"%s\"", i,
			    s->architectures[i]);
		int r = seccomp_arch_add(ctx, tok);
		/* The native arch is already there. */
		if (r < 0 && r != -EEXIST)
			return berr_sys(err, -r, "linux.seccomp.architectures[%zu]: add \"%s\"", i,
					s->architectures[i]);
	}
	return 0;
}

static int build_conditions(const struct berth_seccomp_syscall *sc, size_t idx,
			    struct scmp_arg_cmp *conds, bool *repeated, struct berth_error *err)
{
	unsigned seen[SYSCALL_MAX_ARGS] = {0};
	*repeated = false;
	for (size_t j = 0; j < sc->n_args; j++) {
		const struct berth_seccomp_arg *a = &sc->args[j];
		if (a->index >= SYSCALL_MAX_ARGS)
			return berr_set(
			    err,
			    "linux.seccomp.syscalls[%zu].args[%zu]: index %u out of range "
			    "(0-5)",
			    idx, j, a->index);
		if ((size_t)a->op >= seccomp_n_operator_names)
			return berr_set(
			    err, "linux.seccomp.syscalls[%zu].args[%zu]: invalid operator", idx, j);
		if (seen[a->index]++)
			*repeated = true;
		/* For MASKED_EQ, value is the mask and valueTwo the datum:
		 * (arg & value) == valueTwo, libseccomp's datum_a/datum_b. */
		conds[j] = (struct scmp_arg_cmp){.arg = a->index,
						 .op = seccomp_operator_names[a->op].value,
						 .datum_a = a->value,
						 .datum_b = a->value_two};
	}
	return 0;
}

static int add_syscall_rules(scmp_filter_ctx ctx, const struct berth_seccomp_syscall *sc,
			     size_t idx, uint32_t def_action, struct berth_error *err)
{
	char field[64];
	snprintf(field, sizeof(field), "linux.seccomp.syscalls[%zu]", idx);
	uint32_t act = 0;
	if (action_value(sc->action, sc->has_errno_ret, sc->errno_ret, field, &act, err) < 0)
		return -1;
	/* libseccomp rejects a rule that repeats the default action. */
	if (act == def_action)
		return 0;
	if (sc->n_args > SYSCALL_MAX_ARGS * 8)
		return berr_set(err, "%s.args: too many conditions (%zu)", field, sc->n_args);
	struct scmp_arg_cmp conds[SYSCALL_MAX_ARGS * 8];
	bool repeated;
	if (build_conditions(sc, idx, conds, &repeated, err) < 0)
		return -1;

	for (size_t n = 0; n < sc->n_names; n++) {
		const char *name = sc->names[n];
		int nr = seccomp_syscall_resolve_name(name);
		if (nr == __NR_SCMP_ERROR) {
			/* A syscall newer than this libseccomp, or of another
			 * arch: not an error (runc does the same). */
			log_debug("seccomp: unknown syscall \"%s\" ignored", name);
			continue;
		}
		int r = 0;
		if (sc->n_args == 0) {
			r = seccomp_rule_add(ctx, act, nr, 0);
		} else if (!repeated) {
			/* All conditions must hold. */
			r = seccomp_rule_add_array(ctx, act, nr, (unsigned)sc->n_args, conds);
		} else {
			/* An index repeats: libseccomp can't AND those, so each
			 * condition becomes its own rule (any may match), as
			 * runc does. */
			for (size_t j = 0; j < sc->n_args && r == 0; j++)
				r = seccomp_rule_add_array(ctx, act, nr, 1, &conds[j]);
		}
		if (r < 0)
			return berr_sys(err, -r, "%s: add rule for \"%s\"", field, name);
	}
	return 0;
}

/* Export the program through a memfd and read it back. */
static int export_program(scmp_filter_ctx ctx, struct seccomp_filter *f, struct berth_error *err)
{
	_cleanup_close_ int fd = memfd_create("berth-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return berr_sys(err, errno, "memfd_create");
	int r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return berr_sys(err, -r, "seccomp_export_bpf");
	struct stat st;
	if (fstat(fd, &st) < 0)
		return berr_sys(err, errno, "fstat exported filter");
	size_t size = (size_t)st.st_size;
	if (size == 0 || size % sizeof(struct sock_filter) != 0 ||
	    size / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return berr_set(err, "exported seccomp filter has a bad size (%zu bytes)", size);
	_cleanup_free_ struct sock_filter *insns = malloc(size);
	if (!insns)
		return berr_sys(err, ENOMEM, "allocate seccomp filter");
	ssize_t n = pread(fd, insns, size, 0);
	if (n < 0)
		return berr_sys(err, errno, "read exported filter");
	if ((size_t)n != size)
		return berr_set(err, "read exported filter: short read");
	f->insns = steal_ptr(&insns);
	f->n_insns = (uint32_t)(size / sizeof(struct sock_filter));
	return 0;
}

int seccomp_compile(const struct berth_seccomp *s, struct seccomp_filter *f,
		    struct berth_error *err)
{
	uint32_t def = 0;
	if (action_value(s->default_action, s->has_default_errno_ret, s->default_errno_ret,
			 "linux.seccomp.defaultAction", &def, err) < 0)
		return -1;
	__attribute__((cleanup(ctx_releasep))) scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return berr_set(err,
				"linux.seccomp.defaultAction: libseccomp refused %s "
				"(unsupported by this libseccomp or kernel)",
				seccomp_action_names[s->default_action].name);
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r < 0)
		return berr_sys(err, -r, "seccomp: clear the no_new_privs attribute");
	if (add_architectures(ctx, s, err) < 0)
		return -1;

	size_t n_rules = 0;
	for (size_t i = 0; i < s->n_syscalls; i++)
		n_rules += s->syscalls[i].n_names;
	if (n_rules > OPTIMIZE_MIN_RULES) {
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
		if (r < 0)
			log_debug("seccomp: binary tree optimization not available: %s",
				  strerror(-r));
	}
	for (size_t i = 0; i < s->n_syscalls; i++)
		if (add_syscall_rules(ctx, &s->syscalls[i], i, def, err) < 0)
			return -1;
	if (export_program(ctx, f, err) < 0)
		return -1;
	return seccomp_enosys_patch(s, f, err);
}
