/* update.c - the `berth update` command (not built yet). */
#include "cli.h"

static int run_update(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "update: not implemented");
}

const struct cli_command cli_cmd_update = {
    .name = "update",
    .run = run_update,
    .usage = "update",
    .summary = "update",
    .options = NULL,
};
