/* seccomp_features.c - linux.seccomp of `berth features`: what berth knows
 * (actions, operators, archs, flags) and which flags this kernel accepts.
 *
 * Flags are probed with seccomp(SECCOMP_SET_MODE_FILTER, flag, NULL): the
 * kernel validates flags before it reads the program, so EFAULT means
 * "known flag" and EINVAL "unknown", and nothing is ever installed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp_internal.h"

static bool flag_supported(uint32_t flag)
{
	/* The kernel takes WAIT_KILLABLE_RECV only together with a listener. */
	if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
		flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL);
	return r < 0 && errno == EFAULT;
}

static int list_alloc(struct seccomp_name_list *l, size_t max, struct berth_error *err)
{
	l->n = 0;
	l->names = calloc(max ? max : 1, sizeof(*l->names));
	return l->names ? 0 : berr_sys(err, ENOMEM, "seccomp features");
}

static int table_names(struct seccomp_name_list *l, const struct seccomp_name_u32 *t, size_t n,
		       struct berth_error *err)
{
	if (list_alloc(l, n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		l->names[l->n++] = t[i].name;
	return 0;
}

int seccomp_features_probe(struct seccomp_features *f, struct berth_error *err)
{
	memset(f, 0, sizeof(*f));
	/* PR_GET_SECCOMP fails with EINVAL on a kernel without seccomp. */
	f->enabled = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
	if (table_names(&f->actions, seccomp_action_names, seccomp_n_action_names, err) < 0 ||
	    table_names(&f->operators, seccomp_operator_names, seccomp_n_operator_names, err) < 0 ||
	    table_names(&f->known_flags, seccomp_flag_names, seccomp_n_flag_names, err) < 0 ||
	    list_alloc(&f->archs, seccomp_arch_count(), err) < 0 ||
	    list_alloc(&f->supported_flags, seccomp_n_flag_names, err) < 0)
		return -1;
	for (size_t i = 0; i < seccomp_arch_count(); i++)
		f->archs.names[f->archs.n++] = seccomp_arch_name(i);
	for (size_t i = 0; i < seccomp_n_flag_names; i++)
		if (flag_supported(seccomp_flag_names[i].value))
			f->supported_flags.names[f->supported_flags.n++] =
			    seccomp_flag_names[i].name;
	return 0;
}

void seccomp_features_free(struct seccomp_features *f)
{
	free(f->actions.names);
	free(f->operators.names);
	free(f->archs.names);
	free(f->known_flags.names);
	free(f->supported_flags.names);
	memset(f, 0, sizeof(*f));
}
