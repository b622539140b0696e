/* fdclose.h - close every fd of this process but a few: what the container
 * init does first, so that nothing of its caller's (berth's own fds, the
 * fds berth inherited) stays open while the container waits in `created`.
 *
 * Never: allocate (it runs in a cloned child), or leave an fd open because
 * close_range(2) is missing or filtered (the fallback closes one by one). */
#ifndef BERTH_FDCLOSE_H
#define BERTH_FDCLOSE_H

#include <stddef.h>

#include "error.h"

#define FD_KEEP_MAX 64

/* Closes every fd >= first except those in keep[0..n) (negative entries
 * are ignored; at most FD_KEEP_MAX). */
int fd_close_all_but(int first, const int *keep, size_t n, struct berth_error *err);

#endif
