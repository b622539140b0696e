/* spec.c - the `berth spec` command: write a starter config.json. */
#include <stdio.h>

#include "cli.h"

#include "runtime/spec_default.h"

static const struct option spec_options[] = {
    {"bundle", required_argument, NULL, 'b'},
    {"rootless", no_argument, NULL, 'r'},
    {NULL, 0, NULL, 0},
};

static int run_spec(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	const char *bundle = NULL;
	bool rootless = false;
	char why[256];
	int c;

	(void)g;
	optind = 0;
	while ((c = cli_getopt(argc, argv, "b:", spec_options)) != -1) {
		switch (c) {
		case 'b':
			bundle = optarg;
			break;
		case 'r':
			rootless = true;
			break;
		case ':':
			snprintf(why, sizeof(why), "flag needs an argument: %s", argv[optind - 1]);
			return cli_usage_error(&cli_cmd_spec, why);
		default:
			snprintf(why, sizeof(why), "flag provided but not defined: %s",
				 argv[optind - 1]);
			return cli_usage_error(&cli_cmd_spec, why);
		}
	}
	if (optind != argc)
		return cli_usage_error(&cli_cmd_spec, "\"spec\" takes no arguments");
	if (spec_default_write(bundle, rootless, err) < 0)
		return -1;
	return 0;
}

const struct cli_command cli_cmd_spec = {
    .name = "spec",
    .run = run_spec,
    .usage = "spec [command options]",
    .summary = "create a new specification file",
    .options = "   --bundle value, -b value  path to the root of the bundle directory\n"
	       "   --rootless                generate a configuration for a rootless container\n",
};
