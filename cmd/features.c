/* features.c - the `berth features` command: print the OCI features
 * document (what this berth supports on this host). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "runtime/oci_features.h"

static int run_features(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	char *text;

	(void)g;
	(void)argv;
	if (argc > 1)
		return cli_usage_error(&cli_cmd_features, "\"features\" takes no arguments");
	text = features_text(err);
	if (!text)
		return -1;
	fputs(text, stdout);
	free(text);
	if (fflush(stdout) != 0)
		return berr_sys(err, errno, "write features");
	return 0;
}

const struct cli_command cli_cmd_features = {
    .name = "features",
    .run = run_features,
    .usage = "features",
    .summary = "show the enabled features",
    .options = NULL,
};
