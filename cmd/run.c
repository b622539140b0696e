/* run.c - `berth run`: create, start, wait, delete. */
#include "cli.h"
#include "runtime/lifecycle.h"

static int run_run(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	struct runtime_opts ro;
	struct create_opts o = {0};
	bool detach = false, keep = false;
	int rc = cli_parse_create_flags(&cli_cmd_run, argc, argv, &o, &detach, &keep);

	if (rc)
		return rc;
	cli_runtime_opts(g, &ro);
	if (cli_check_preserved_fds(o.preserve_fds, err) < 0 ||
	    cli_cgroup_manager(g, &ro.cgroup_manager, err) < 0)
		return -1;
	return runtime_run(&ro, &o, detach, keep, err);
}

const struct cli_command cli_cmd_run = {
    .name = "run",
    .run = run_run,
    .usage = "run [command options] <container-id>",
    .summary = "create and run a container",
    .options = "   --bundle value, -b value  path to the root of the bundle directory\n"
	       "   --console-socket value    path to an AF_UNIX socket which will receive the "
	       "pty master\n"
	       "   --detach, -d              detach from the container's process\n"
	       "   --keep                    do not delete the container after it exits\n"
	       "   --no-subreaper            accepted for runc compatibility (berth reaps its own "
	       "child)\n"
	       "   --pid-file value          specify the file to write the process id to\n"
	       "   --no-pivot                do not use pivot root to jail process inside rootfs\n"
	       "   --no-new-keyring          do not create a new session keyring\n"
	       "   --preserve-fds value      pass N additional file descriptors to the container\n",
};
