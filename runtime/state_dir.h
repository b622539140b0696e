/* state_dir.h - making and removing <root>/<id>: the directory, its lock,
 * and the exec fifo that holds a created container until `start`. */
#ifndef BERTH_STATE_DIR_H
#define BERTH_STATE_DIR_H

#include "libcontainer/error.h"

#define STATE_FIFO "exec.fifo"
/* restore's bind mount of the rootfs, where CRIU builds the mount tree */
#define STATE_CRIU_ROOT "criu-root"

/* mkdir <root> (0711, as needed) and <root>/<id>; a clash is an error
 * ("container with id exists: ID"). Returns the locked dir fd. */
int state_dir_create(const char *root, const char *id, struct berth_error *err);
/* mkfifo exec.fifo and open it O_RDWR: the init blocks reading it. */
int state_dir_make_fifo(int dir_fd, struct berth_error *err);
/* Remove the files berth puts in <root>/<id>, then the dir. Best effort. */
void state_dir_remove(const char *root, const char *id);

#endif
