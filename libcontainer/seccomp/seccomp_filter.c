/* seccomp_filter.c - the seccomp_filter object: prepared in the parent
 * (cache or compile), installed in the child with the raw syscall.
 *
 * Never: call libseccomp or allocate in seccomp_filter_install, which runs
 * in the cloned child. */
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "seccomp_internal.h"

static long elapsed_us(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000;
}

static void filter_freep(struct seccomp_filter **f)
{
	seccomp_filter_free(*f);
}

/* The seccomp(2) flags: the configured ones, plus a listener when a rule
 * notifies (with TSYNC the kernel then wants TSYNC_ESRCH, since a TSYNC
 * failure can't be reported as a thread id when the return value is the
 * listener fd). */
static int kernel_flags(const struct berth_seccomp *s, struct seccomp_filter *f,
			struct berth_error *err)
{
	uint32_t kflags;
	if (seccomp_flags_to_kernel(s, &kflags, err) < 0)
		return -1;
	bool notify;
	if (seccomp_check_notify(s, &notify, err) < 0)
		return -1;
	if (notify) {
		kflags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		if (kflags & SECCOMP_FILTER_FLAG_TSYNC)
			kflags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	} else if (kflags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) {
		/* Only meaningful with a listener; the kernel refuses it alone. */
		log_debug("seccomp: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV without a "
			  "SCMP_ACT_NOTIFY rule ignored");
		kflags &= ~(uint32_t)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	}
	f->kflags = kflags;
	f->notify = notify;
	return 0;
}

int seccomp_filter_prepare(const struct berth_seccomp *s, const char *cache_dir,
			   struct seccomp_filter **out, struct berth_error *err)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	__attribute__((cleanup(filter_freep))) struct seccomp_filter *f = calloc(1, sizeof(*f));
	if (!f)
		return berr_sys(err, ENOMEM, "seccomp");
	if (kernel_flags(s, f, err) < 0)
		return -1;

	_cleanup_close_ int dirfd = -1;
	char key[2 * SECCOMP_SHA256_LEN + 1];
	if (cache_dir) {
		struct berth_error cerr = {0};
		seccomp_cache_key(s, key);
		dirfd = seccomp_cache_open_dir(cache_dir, &cerr);
		if (dirfd < 0) {
			log_warn("seccomp: cache not used: %s", cerr.msg);
		} else if (seccomp_cache_load(dirfd, key, f) == 1) {
			log_debug("seccomp: cache hit %s (%u instructions) in %ld us", key,
				  f->n_insns, elapsed_us(&t0));
			*out = steal_ptr(&f);
			return 0;
		}
	}

	if (seccomp_compile(s, f, err) < 0)
		return berr_prefix(err, "seccomp");
	log_debug("seccomp: compiled %zu syscall entries into %u BPF instructions in %ld us",
		  s->n_syscalls, f->n_insns, elapsed_us(&t0));
	if (dirfd >= 0) {
		struct berth_error cerr = {0};
		if (seccomp_cache_store(dirfd, key, f, &cerr) < 0)
			log_warn("seccomp: cache not written: %s", cerr.msg);
		else
			log_debug("seccomp: cached as %s", key);
	}
	*out = steal_ptr(&f);
	return 0;
}

int seccomp_filter_install(const struct seccomp_filter *f, int *notify_fd, struct berth_error *err)
{
	*notify_fd = -1;
	struct sock_fprog prog = {.len = (unsigned short)f->n_insns, .filter = f->insns};
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f->kflags, &prog);
	if (r < 0) {
		if (errno == EACCES)
			return berr_sys(err, errno,
					"seccomp: install filter (needs noNewPrivileges or "
					"CAP_SYS_ADMIN)");
		return berr_sys(err, errno, "seccomp: install filter (flags 0x%x)", f->kflags);
	}
	if (f->notify) {
		*notify_fd = (int)r;
	} else if (r > 0) {
		/* TSYNC without a listener reports the thread it could not
		 * synchronize; the filter is then on this thread only. */
		return berr_set(err, "seccomp: thread %ld could not be synchronized (TSYNC)", r);
	}
	return 0;
}

bool seccomp_filter_wants_notify(const struct seccomp_filter *f)
{
	return f->notify;
}

bool seccomp_filter_from_cache(const struct seccomp_filter *f)
{
	return f->from_cache;
}

unsigned seccomp_filter_length(const struct seccomp_filter *f)
{
	return f->n_insns;
}

void seccomp_filter_free(struct seccomp_filter *f)
{
	if (!f)
		return;
	free(f->insns);
	free(f);
}
