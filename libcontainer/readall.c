/* readall.c - read a file descriptor to its end (see readall.h). */
#include "readall.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "cleanup.h"

int read_all_fd(int fd, size_t hint, size_t max, char **out, size_t *len)
{
	/* room for the NUL and one byte more, to see EOF without growing */
	size_t cap = (hint ? hint : 4096) + 2, n = 0;
	_cleanup_free_ char *buf = malloc(cap);

	if (!buf)
		return -1;
	for (;;) {
		if (cap - n < 2) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				return -1;
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		n += (size_t)r;
		if (max && n > max) {
			errno = EFBIG;
			return -1;
		}
	}
	buf[n] = '\0';
	*len = n;
	*out = steal_ptr(&buf);
	return 0;
}
