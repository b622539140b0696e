/* create.c - `berth create`: set up a container that waits for `start`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "runtime/lifecycle.h"

/* Shared with run.c: the flags both commands take. Returns 0, or the
 * usage exit code. */
int cli_parse_create_flags(const struct cli_command *cmd, int argc, char **argv,
			   struct create_opts *o, bool *detach, bool *keep)
{
	/* create takes the first six; run adds the last three. */
	static const struct option all_opts[] = {
	    {"bundle", required_argument, NULL, 'b'},
	    {"console-socket", required_argument, NULL, 'c'},
	    {"pid-file", required_argument, NULL, 'p'},
	    {"no-pivot", no_argument, NULL, 'P'},
	    {"no-new-keyring", no_argument, NULL, 'K'},
	    {"preserve-fds", required_argument, NULL, 'f'},
	    {"detach", no_argument, NULL, 'd'},
	    {"keep", no_argument, NULL, 'k'},
	    {"no-subreaper", no_argument, NULL, 'S'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = cli_getopt(argc, argv, detach ? "b:dk" : "b:", all_opts)) != -1) {
		switch (c) {
		case 'b':
			o->bundle = optarg;
			break;
		case 'c':
			o->console_socket = optarg;
			break;
		case 'p':
			o->pid_file = optarg;
			break;
		case 'P':
			o->no_pivot = true;
			break;
		case 'K':
			o->no_new_keyring = true;
			break;
		case 'f':
			if (cli_parse_uint(optarg, &o->preserve_fds) < 0)
				return cli_usage_error(cmd, "--preserve-fds needs a number");
			break;
		case 'd':
		case 'k':
		case 'S':
			if (!detach)
				return cli_usage_error(cmd, "flag provided but not defined");
			if (c == 'd')
				*detach = true;
			else if (c == 'k')
				*keep = true;
			/* --no-subreaper: berth reaps its own child; accepted for runc */
			break;
		case ':':
			return cli_usage_error(cmd, "flag needs an argument");
		default:
			return cli_usage_error(cmd, "flag provided but not defined");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "exactly one container id is required");
	o->id = argv[optind];
	return 0;
}

static int run_create(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	struct runtime_opts ro;
	struct create_opts o = {0};
	struct created_container cc;
	int rc = cli_parse_create_flags(&cli_cmd_create, argc, argv, &o, NULL, NULL);

	if (rc)
		return rc;
	cli_runtime_opts(g, &ro);
	if (cli_check_preserved_fds(o.preserve_fds, err) < 0 ||
	    cli_cgroup_manager(g, &ro.cgroup_manager, err) < 0 ||
	    runtime_create(&ro, &o, &cc, err) < 0)
		return -1;
	berth_spec_free(cc.spec);
	return 0;
}

const struct cli_command cli_cmd_create = {
    .name = "create",
    .run = run_create,
    .usage = "create [command options] <container-id>",
    .summary = "create a container",
    .options = "   --bundle value, -b value  path to the root of the bundle directory\n"
	       "   --console-socket value    path to an AF_UNIX socket which will receive the "
	       "pty master\n"
	       "   --pid-file value          specify the file to write the process id to\n"
	       "   --no-pivot                do not use pivot root to jail process inside rootfs\n"
	       "   --no-new-keyring          do not create a new session keyring\n"
	       "   --preserve-fds value      pass N additional file descriptors to the container\n",
};
