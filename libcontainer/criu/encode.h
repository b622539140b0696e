/* encode.h - the protobuf side of criu/: packing requests (internal to
 * libcontainer/criu). */
#ifndef BERTH_CRIU_ENCODE_H
#define BERTH_CRIU_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "criu.h"

/* Where the request's fds are. CRIU opens the image, work and status fds
 * through /proc/<peer>/fd/N of the process that made the socketpair, i.e.
 * berth's own numbers; inherited fds are CRIU's own (see swrk.c). */
struct criu_fd_layout {
	int images_dir;
	int work_dir;	   /* -1: none */
	int status;	   /* -1: none */
	int inherit_first; /* inherit[i] is fd inherit_first + i in criu */
};

/* Pack a request; free(*buf). */
int criu_encode_request(const struct criu_request *r, const struct criu_fd_layout *fds,
			uint8_t **buf, size_t *len, struct berth_error *err);
/* Pack the answer to a notification. */
int criu_encode_notify_ack(bool success, uint8_t **buf, size_t *len, struct berth_error *err);
/* "DUMP", "RESTORE", ... as runc names the request types in messages. */
const char *criu_action_name(enum criu_action a);

#endif
