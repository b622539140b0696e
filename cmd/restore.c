/* restore.c - the `berth restore` command (not built yet). */
#include "cli.h"

static int run_restore(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "restore: not implemented");
}

const struct cli_command cli_cmd_restore = {
    .name = "restore",
    .run = run_restore,
    .usage = "restore",
    .summary = "restore",
    .options = NULL,
};
