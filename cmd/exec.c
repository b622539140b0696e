/* exec.c - `berth exec`: run a process in a running container. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exec_args.h"
#include "libcontainer/cleanup.h"
#include "runtime/exec.h"

struct strv {
	char **v;
	size_t n;
};

static int strv_add(struct strv *s, char *item)
{
	char **nv = realloc(s->v, (s->n + 1) * sizeof(char *));

	if (!nv)
		return -1;
	s->v = nv;
	s->v[s->n++] = item;
	return 0;
}

/* The arrays only: their strings are argv's. */
static void strv_release(struct strv *s)
{
	free(s->v);
}

static int run_exec(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	static const struct option opts[] = {
	    {"console-socket", required_argument, NULL, 'S'},
	    {"cwd", required_argument, NULL, 'w'},
	    {"env", required_argument, NULL, 'e'},
	    {"tty", no_argument, NULL, 't'},
	    {"user", required_argument, NULL, 'u'},
	    {"additional-gids", required_argument, NULL, 'g'},
	    {"process", required_argument, NULL, 'p'},
	    {"detach", no_argument, NULL, 'd'},
	    {"pid-file", required_argument, NULL, 'P'},
	    {"process-label", required_argument, NULL, 'L'},
	    {"apparmor", required_argument, NULL, 'A'},
	    {"no-new-privs", no_argument, NULL, 'N'},
	    {"cap", required_argument, NULL, 'c'},
	    {"preserve-fds", required_argument, NULL, 'f'},
	    {"cgroup", required_argument, NULL, 'C'},
	    {"ignore-paused", no_argument, NULL, 'I'},
	    {NULL, 0, NULL, 0},
	};
	struct exec_opts o = {0};
	/* released on every return, usage errors included */
	__attribute__((cleanup(strv_release))) struct strv env = {0}, groups = {0}, caps = {0};
	_cleanup_free_ uint32_t *gids = NULL;
	const char *user = NULL;
	struct runtime_opts ro;
	int c;

	while ((c = cli_getopt(argc, argv, "e:tu:g:p:dc:", opts)) != -1) {
		switch (c) {
		case 'S':
			o.console_socket = optarg;
			break;
		case 'w':
			o.cwd = optarg;
			break;
		case 'e':
			if (strv_add(&env, optarg) < 0)
				return berr_set(err, "out of memory");
			break;
		case 't':
			o.tty = true;
			break;
		case 'u':
			user = optarg;
			break;
		case 'g':
			if (strv_add(&groups, optarg) < 0)
				return berr_set(err, "out of memory");
			break;
		case 'p':
			o.process_file = optarg;
			break;
		case 'd':
			o.detach = true;
			break;
		case 'P':
			o.pid_file = optarg;
			break;
		case 'L':
			o.process_label = optarg;
			break;
		case 'A':
			o.apparmor = optarg;
			break;
		case 'N':
			o.no_new_privs = true;
			break;
		case 'c':
			if (strv_add(&caps, optarg) < 0)
				return berr_set(err, "out of memory");
			break;
		case 'f':
			if (cli_parse_uint(optarg, &o.preserve_fds) < 0)
				return cli_usage_error(&cli_cmd_exec,
						       "--preserve-fds needs a number");
			break;
		case 'C':
			break; /* sub-cgroup selection: berth execs into the container's cgroup */
		case 'I':
			o.ignore_paused = true;
			break;
		case ':':
			return cli_usage_error(&cli_cmd_exec, "flag needs an argument");
		default:
			return cli_usage_error(&cli_cmd_exec, "flag provided but not defined");
		}
	}
	if (argc - optind < 1)
		return cli_usage_error(&cli_cmd_exec, "a container id is required");
	o.id = argv[optind];
	o.args = argv + optind + 1;
	o.n_args = (size_t)(argc - optind - 1);
	if (o.n_args && strcmp(o.args[0], "--") == 0) {
		o.args++;
		o.n_args--;
	}
	o.env = env.v;
	o.n_env = env.n;
	/* --user and --additional-gids count only for a command given as args:
	 * a process.json says who runs it (and no command is an error later). */
	if (!o.process_file && o.n_args) {
		if (user && exec_parse_user(user, &o.user, err) < 0)
			return -1;
		if (exec_parse_gids(groups.v, groups.n, &gids, err) < 0)
			return -1;
		o.gids = gids;
		o.n_gids = groups.n;
	}
	o.caps = exec_parse_caps(caps.v, caps.n, g->resealed);
	cli_runtime_opts(g, &ro);
	return runtime_exec(&ro, &o, err);
}

const struct cli_command cli_cmd_exec = {
    .name = "exec",
    .run = run_exec,
    .usage = "exec [command options] <container-id> <command> [command options]  || -p "
	     "process.json <container-id>",
    .summary = "execute new process inside the container",
    .failure_exit = 255, /* runc's: a failed exec is told from the process's own status */
    .options = "   --console-socket value       path to an AF_UNIX socket which will receive "
	       "the pty master\n"
	       "   --cwd value                  current working directory in the container\n"
	       "   --env value, -e value        set environment variables\n"
	       "   --tty, -t                    allocate a pseudo-TTY\n"
	       "   --user value, -u value       UID (format: <uid>[:<gid>])\n"
	       "   --additional-gids value, -g value  additional gids\n"
	       "   --process value, -p value    path to the process.json\n"
	       "   --detach, -d                 detach from the container's process\n"
	       "   --pid-file value             specify the file to write the process id to\n"
	       "   --process-label value        set the asm process label\n"
	       "   --apparmor value             set the apparmor profile for the process\n"
	       "   --no-new-privs               set the no new privileges value for the process\n"
	       "   --cap value, -c value        add a capability to the bounding set\n"
	       "   --preserve-fds value         pass N additional file descriptors\n"
	       "   --ignore-paused              allow exec in a paused container\n",
};
