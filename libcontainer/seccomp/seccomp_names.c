/* seccomp_names.c - the OCI seccomp vocabulary as tables: actions,
 * operators, architectures and flags, with their libseccomp or kernel
 * values. Pure data and lookups: no libseccomp call, so a cache hit can use
 * it. Never branch on names elsewhere; add a row here. */
#include <errno.h>
#include <seccomp.h>
#include <string.h>

#include "seccomp_internal.h"

/* Indexed by enum berth_seccomp_action. SCMP_ACT_KILL is KILL_THREAD, as
 * in runc and libseccomp. ERRNO/TRACE get their data added by the compiler. */
const struct seccomp_name_u32 seccomp_action_names[] = {
    [BERTH_SCMP_ACT_KILL] = {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD},
    [BERTH_SCMP_ACT_KILL_PROCESS] = {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
    [BERTH_SCMP_ACT_KILL_THREAD] = {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
    [BERTH_SCMP_ACT_TRAP] = {"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
    [BERTH_SCMP_ACT_ERRNO] = {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0)},
    [BERTH_SCMP_ACT_TRACE] = {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0)},
    [BERTH_SCMP_ACT_ALLOW] = {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
    [BERTH_SCMP_ACT_LOG] = {"SCMP_ACT_LOG", SCMP_ACT_LOG},
    [BERTH_SCMP_ACT_NOTIFY] = {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY},
};
const size_t seccomp_n_action_names =
    sizeof(seccomp_action_names) / sizeof(seccomp_action_names[0]);

/* Indexed by enum berth_seccomp_op. */
const struct seccomp_name_u32 seccomp_operator_names[] = {
    [BERTH_SCMP_CMP_NE] = {"SCMP_CMP_NE", SCMP_CMP_NE},
    [BERTH_SCMP_CMP_LT] = {"SCMP_CMP_LT", SCMP_CMP_LT},
    [BERTH_SCMP_CMP_LE] = {"SCMP_CMP_LE", SCMP_CMP_LE},
    [BERTH_SCMP_CMP_EQ] = {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    [BERTH_SCMP_CMP_GE] = {"SCMP_CMP_GE", SCMP_CMP_GE},
    [BERTH_SCMP_CMP_GT] = {"SCMP_CMP_GT", SCMP_CMP_GT},
    [BERTH_SCMP_CMP_MASKED_EQ] = {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};
const size_t seccomp_n_operator_names =
    sizeof(seccomp_operator_names) / sizeof(seccomp_operator_names[0]);

/* The flags linux.seccomp.flags may name, with their seccomp(2) bits. */
const struct seccomp_name_u32 seccomp_flag_names[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};
const size_t seccomp_n_flag_names = sizeof(seccomp_flag_names) / sizeof(seccomp_flag_names[0]);

/* OCI arch names and libseccomp's tokens; rows whose token this libseccomp
 * build lacks are compiled out, so the table says what we can filter. */
static const struct seccomp_name_u32 arch_names[] = {
    {"SCMP_ARCH_X86", SCMP_ARCH_X86},
    {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
    {"SCMP_ARCH_X32", SCMP_ARCH_X32},
    {"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64},
#ifdef SCMP_ARCH_LOONGARCH64
    {"SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64},
#endif
#ifdef SCMP_ARCH_M68K
    {"SCMP_ARCH_M68K", SCMP_ARCH_M68K},
#endif
    {"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
    {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64},
    {"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32},
    {"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL},
    {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64},
    {"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32},
    {"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
    {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64},
    {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
    {"SCMP_ARCH_S390", SCMP_ARCH_S390},
    {"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
#ifdef SCMP_ARCH_SH
    {"SCMP_ARCH_SH", SCMP_ARCH_SH},
    {"SCMP_ARCH_SHEB", SCMP_ARCH_SHEB},
#endif
    {"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC},
    {"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64},
#ifdef SCMP_ARCH_RISCV64
    {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
#endif
};
#define N_ARCH_NAMES (sizeof(arch_names) / sizeof(arch_names[0]))

uint32_t seccomp_arch_token(const char *oci_name)
{
	for (size_t i = 0; i < N_ARCH_NAMES; i++)
		if (strcmp(arch_names[i].name, oci_name) == 0)
			return arch_names[i].value;
	return 0;
}

size_t seccomp_arch_count(void)
{
	return N_ARCH_NAMES;
}

const char *seccomp_arch_name(size_t i)
{
	return i < N_ARCH_NAMES ? arch_names[i].name : NULL;
}

int seccomp_flags_to_kernel(const struct berth_seccomp *s, uint32_t *out, struct berth_error *err)
{
	uint32_t bits = 0;
	for (size_t i = 0; i < s->n_flags; i++) {
		size_t j;
		for (j = 0; j < seccomp_n_flag_names; j++)
			if (strcmp(s->flags[i], seccomp_flag_names[j].name) == 0)
				break;
		if (j == seccomp_n_flag_names)
			return berr_set(err, "linux.seccomp.flags[%zu]: unknown flag \"%s\"", i,
					s->flags[i]);
		bits |= seccomp_flag_names[j].value;
	}
	*out = bits;
	return 0;
}

/* The syscalls the child itself makes after the install to hand the
 * listener fd to the parent; notifying on them would deadlock init. */
static const char *const notify_forbidden[] = {"write", "sendmsg", "sendto"};

int seccomp_check_notify(const struct berth_seccomp *s, bool *notify, struct berth_error *err)
{
	*notify = false;
	if (s->default_action == BERTH_SCMP_ACT_NOTIFY)
		return berr_set(err,
				"linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the "
				"default action (berth itself needs to write after the install)");
	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct berth_seccomp_syscall *sc = &s->syscalls[i];
		if (sc->action != BERTH_SCMP_ACT_NOTIFY)
			continue;
		for (size_t n = 0; n < sc->n_names; n++)
			for (size_t k = 0; k < sizeof(notify_forbidden) / sizeof(*notify_forbidden);
			     k++)
				if (strcmp(sc->names[n], notify_forbidden[k]) == 0)
					return berr_set(
					    err,
					    "linux.seccomp.syscalls[%zu]: SCMP_ACT_NOTIFY "
					    "cannot be used for \"%s\" (berth passes the "
					    "listener fd with it)",
					    i, sc->names[n]);
		*notify = true;
	}
	return 0;
}
