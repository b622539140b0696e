/* list.c - the `berth list` command (not built yet). */
#include "cli.h"

static int run_list(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "list: not implemented");
}

const struct cli_command cli_cmd_list = {
    .name = "list",
    .run = run_list,
    .usage = "list",
    .summary = "list",
    .options = NULL,
};
