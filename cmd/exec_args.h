/* exec_args.h - what `exec`'s process flags mean: --user, --additional-gids
 * and --cap turned into the typed values runtime_exec() takes. */
#ifndef BERTH_CMD_EXEC_ARGS_H
#define BERTH_CMD_EXEC_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/error.h"
#include "runtime/exec.h"

/* "--user UID[:GID]". */
int exec_parse_user(const char *s, struct exec_user *u, struct berth_error *err);

/* Each "--additional-gids GID" as a number; *out is malloc'd (NULL when n is 0). */
int exec_parse_gids(char *const *v, size_t n, uint32_t **out, struct berth_error *err);

/* Each "--cap NAME" ("CAP_KILL" or "KILL") as a bit of the set it
 * returns. An unknown name is skipped with a warning, as runc does; `quiet`
 * drops the warning (a sealed re-execution already gave it). */
uint64_t exec_parse_caps(char *const *v, size_t n, bool quiet);

#endif
