/* seccomp_enosys.c - make syscalls newer than the profile fail with ENOSYS.
 *
 * A profile written before a syscall existed denies it with its default
 * action, typically EPERM. Programs probe new syscalls and fall back only
 * on ENOSYS (glibc with clone3, faccessat2, ...), so EPERM breaks them.
 * runc therefore answers ENOSYS for every syscall number above the highest
 * one the profile names; berth does the same by prepending a short stub to
 * the program libseccomp exported. Classic BPF jumps only go forward and
 * are relative, so the original program is untouched behind the stub.
 *
 * Scope: the native architecture only (on x86_64, not the x32 numbers,
 * which the original program keeps judging). Never applied when the default
 * action already lets syscalls through (ALLOW, LOG) or is ENOSYS. */
#include <errno.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/log.h"
#include "seccomp_internal.h"

#define X32_SYSCALL_BIT 0x40000000u

static bool needs_stub(const struct berth_seccomp *s)
{
	switch (s->default_action) {
	case BERTH_SCMP_ACT_ALLOW:
	case BERTH_SCMP_ACT_LOG:
		return false;
	case BERTH_SCMP_ACT_ERRNO:
		return !(s->has_default_errno_ret && s->default_errno_ret == ENOSYS);
	default:
		return true;
	}
}

/* The highest native syscall number any rule names, or -1. */
static int highest_named(const struct berth_seccomp *s)
{
	int max = -1;
	for (size_t i = 0; i < s->n_syscalls; i++)
		for (size_t n = 0; n < s->syscalls[i].n_names; n++) {
			int nr = seccomp_syscall_resolve_name(s->syscalls[i].names[n]);
			/* Negative: unknown, or a pseudo-syscall of another ABI. */
			if (nr >= 0 && (uint32_t)nr < X32_SYSCALL_BIT && nr > max)
				max = nr;
		}
	return max;
}

int seccomp_enosys_patch(const struct berth_seccomp *s, struct seccomp_filter *f,
			 struct berth_error *err)
{
	if (!needs_stub(s))
		return 0;
	int max = highest_named(s);
	if (max < 0)
		return 0;
	uint32_t native = seccomp_arch_native();
	bool x86_64 = native == SCMP_ARCH_X86_64;
	struct sock_filter stub[6];
	unsigned n = 0;
	/* Offsets count from the instruction after the jump; `orig` is the
	 * stub's length, i.e. the first instruction of the original program. */
	unsigned orig = x86_64 ? 6 : 5;
	stub[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						 offsetof(struct seccomp_data, arch));
	stub[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, native, 0,
					       (unsigned char)(orig - n - 1));
	n++;
	stub[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						 offsetof(struct seccomp_data, nr));
	if (x86_64) {
		stub[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT,
						       (unsigned char)(orig - n - 1), 0);
		n++;
	}
	stub[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)max, 0, 1);
	n++;
	stub[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);

	if (f->n_insns + n > BPF_MAXINSNS)
		return berr_set(err, "seccomp program too long (%u instructions)", f->n_insns + n);
	struct sock_filter *insns = malloc((f->n_insns + n) * sizeof(*insns));
	if (!insns)
		return berr_sys(err, ENOMEM, "seccomp ENOSYS stub");
	memcpy(insns, stub, n * sizeof(*insns));
	memcpy(insns + n, f->insns, f->n_insns * sizeof(*insns));
	free(f->insns);
	f->insns = insns;
	f->n_insns += n;
	log_debug("seccomp: syscalls above %d answer ENOSYS", max);
	return 0;
}
