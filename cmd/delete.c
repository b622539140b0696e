/* delete.c - the `berth delete` command (not built yet). */
#include "cli.h"

static int run_delete(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "delete: not implemented");
}

const struct cli_command cli_cmd_delete = {
    .name = "delete",
    .run = run_delete,
    .usage = "delete",
    .summary = "delete",
    .options = NULL,
};
