/* create.c - the `berth create` command (not built yet). */
#include "cli.h"

static int run_create(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "create: not implemented");
}

const struct cli_command cli_cmd_create = {
    .name = "create",
    .run = run_create,
    .usage = "create",
    .summary = "create",
    .options = NULL,
};
