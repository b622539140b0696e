/* features.c - the `berth features` command (not built yet). */
#include "cli.h"

static int run_features(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "features: not implemented");
}

const struct cli_command cli_cmd_features = {
    .name = "features",
    .run = run_features,
    .usage = "features",
    .summary = "features",
    .options = NULL,
};
