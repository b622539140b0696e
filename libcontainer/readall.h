/* readall.h - read a file descriptor to its end into one buffer.
 *
 * Returns as read(2) does (-1 with errno: read's, ENOMEM, or EFBIG past
 * `max`) so that each caller words its own error; EINTR is retried. */
#ifndef BERTH_READALL_H
#define BERTH_READALL_H

#include <stddef.h>

/* *out gets a malloc'd buffer, NUL-terminated, of *len bytes (the NUL not
 * counted). `hint` is the size expected (e.g. st_size; 0: a page): a file
 * of that size is read without growing the buffer. More than `max` bytes
 * (0: no limit) fails with EFBIG. */
int read_all_fd(int fd, size_t hint, size_t max, char **out, size_t *len);

#endif
