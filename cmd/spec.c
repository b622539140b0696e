/* spec.c - the `berth spec` command (not built yet). */
#include "cli.h"

static int run_spec(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "spec: not implemented");
}

const struct cli_command cli_cmd_spec = {
    .name = "spec",
    .run = run_spec,
    .usage = "spec",
    .summary = "spec",
    .options = NULL,
};
