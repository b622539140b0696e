/* fdclose.c - close every fd but a few: close_range(2) over the gaps
 * between the kept ones, one close(2) at a time where the kernel (< 5.9)
 * or a seccomp policy refuses it. */
#include "fdclose.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static int close_span(unsigned lo, unsigned hi, struct berth_error *err)
{
	struct rlimit rl;

	if (syscall(SYS_close_range, lo, hi, 0) == 0)
		return 0;
	if (errno != ENOSYS && errno != EPERM && errno != EINVAL)
		return berr_sys(err, errno, "close_range %u..%u", lo, hi);
	/* No fd is at or above the hard limit of open files. */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return berr_sys(err, errno, "getrlimit RLIMIT_NOFILE");
	unsigned long top = rl.rlim_max == RLIM_INFINITY ? 1UL << 20 : (unsigned long)rl.rlim_max;
	for (unsigned long fd = lo; fd <= hi && fd < top; fd++)
		close((int)fd); /* EBADF for most: nothing was open there */
	return 0;
}

int fd_close_all_but(int first, const int *keep, size_t n, struct berth_error *err)
{
	int sorted[FD_KEEP_MAX];
	size_t m = 0;

	if (first < 0)
		first = 0;
	if (n > FD_KEEP_MAX)
		return berr_set(err, "close fds: %zu to keep, at most %d", n, FD_KEEP_MAX);
	/* insertion sort of the kept fds >= first, without duplicates */
	for (size_t i = 0; i < n; i++) {
		int fd = keep[i];
		size_t j = m;
		if (fd < first)
			continue;
		while (j > 0 && sorted[j - 1] > fd)
			j--;
		if (j > 0 && sorted[j - 1] == fd)
			continue;
		for (size_t k = m; k > j; k--)
			sorted[k] = sorted[k - 1];
		sorted[j] = fd;
		m++;
	}
	unsigned lo = (unsigned)first;
	for (size_t i = 0; i < m; i++) {
		if ((unsigned)sorted[i] > lo && close_span(lo, (unsigned)sorted[i] - 1, err) < 0)
			return -1;
		lo = (unsigned)sorted[i] + 1;
	}
	return close_span(lo, ~0U, err);
}
