/* seccomp_features.c - linux.seccomp of `berth features`: what berth knows
 * (actions, operators, archs, flags) and which flags this kernel accepts.
 *
 * Flags are probed with seccomp(SECCOMP_SET_MODE_FILTER, flag, NULL): the
 * kernel validates flags before it reads the program, so EFAULT means
 * "known flag" and EINVAL "unknown", and nothing is ever installed. */
#include <errno.h>
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

static json_t *names_json(const struct seccomp_name_u32 *t, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(t[i].name));
	return a;
}

json_t *seccomp_features_json(void)
{
	json_t *archs = json_array();
	for (size_t i = 0; archs && i < seccomp_arch_count(); i++)
		json_array_append_new(archs, json_string(seccomp_arch_name(i)));
	json_t *supported = json_array();
	for (size_t i = 0; supported && i < seccomp_n_flag_names; i++)
		if (flag_supported(seccomp_flag_names[i].value))
			json_array_append_new(supported, json_string(seccomp_flag_names[i].name));
	/* PR_GET_SECCOMP fails with EINVAL on a kernel without seccomp. */
	bool enabled = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
	return json_pack("{s:b, s:o, s:o, s:o, s:o, s:o}", "enabled", enabled, "actions",
			 names_json(seccomp_action_names, seccomp_n_action_names), "operators",
			 names_json(seccomp_operator_names, seccomp_n_operator_names), "archs",
			 archs, "knownFlags", names_json(seccomp_flag_names, seccomp_n_flag_names),
			 "supportedFlags", supported);
}
