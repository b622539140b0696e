/* main.c - global flags, command dispatch, and the one place errors are
 * printed ("berth: <what>: <why>", or a JSON log line). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "libcontainer/log.h"
#include "libcontainer/process/process.h"
#include "runtime/lifecycle.h"
#include "runtime/version.h"

static const struct cli_command *const commands[] = {
    &cli_cmd_checkpoint, &cli_cmd_create, &cli_cmd_delete, &cli_cmd_events, &cli_cmd_exec,
    &cli_cmd_features,	 &cli_cmd_kill,	  &cli_cmd_list,   &cli_cmd_pause,  &cli_cmd_ps,
    &cli_cmd_restore,	 &cli_cmd_resume, &cli_cmd_run,	   &cli_cmd_spec,   &cli_cmd_start,
    &cli_cmd_state,	 &cli_cmd_update,
};

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void print_version(void)
{
	printf("berth version %s\nspec: %s\n", BERTH_VERSION, BERTH_OCI_VERSION);
}

static void print_main_help(FILE *out)
{
	fprintf(out,
		"NAME:\n   berth - an OCI container runtime\n\n"
		"USAGE:\n   berth [global options] command [command options] [arguments...]\n\n"
		"COMMANDS:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "   %-11s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out,
		"\nGLOBAL OPTIONS:\n"
		"   --debug                  enable debug logging\n"
		"   --log value              set the log file to write berth logs to\n"
		"   --log-format value       set the log format ('text' (default), or 'json')\n"
		"   --root value             root directory for storage of container state\n"
		"   --systemd-cgroup         use systemd cgroup paths (slice:prefix:name)\n"
		"   --cgroup-manager value   cgroupfs, systemd or disabled\n"
		"   --rootless value         ignore cgroup permission errors ('true', 'false', "
		"or 'auto')\n"
		"   --help, -h               show help\n"
		"   --version, -v            print the version\n");
}

static const char *default_root(void)
{
	static char buf[4096]; /* lives for the whole CLI run */
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	const char *user = getenv("USER");

	/* Real root keeps /run/berth even with XDG_RUNTIME_DIR=/run/user/0.
	 * Root of a user namespace (rootless podman runs us there) can't
	 * write /run: its XDG_RUNTIME_DIR is where its state goes, as runc
	 * decides, unless USER says it is root. */
	if (geteuid() == 0 &&
	    (!xdg || !*xdg || !userns_is_nested() || (user && strcmp(user, "root") == 0)))
		return "/run/berth";
	if (xdg && *xdg) {
		snprintf(buf, sizeof(buf), "%s/berth", xdg);
		return buf;
	}
	snprintf(buf, sizeof(buf), "/tmp/berth-%u", (unsigned)geteuid());
	return buf;
}

/* Global flags come before the command name, as urfave/cli parses runc's. */
static int parse_globals(int argc, char **argv, struct cli_globals *g, int *next)
{
	int i = 1;

	while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
		const char *a = argv[i];
		const char *name = a[1] == '-' ? a + 2 : a + 1;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		const char *val = eq ? eq + 1 : NULL;

#define IS(s) (strlen(s) == nlen && strncmp(name, s, nlen) == 0)
#define TAKE_VALUE()                                                                               \
	do {                                                                                       \
		if (!val) {                                                                        \
			if (i + 1 >= argc) {                                                       \
				fprintf(stderr, "flag needs an argument: %s\n", a);                \
				return -1;                                                         \
			}                                                                          \
			val = argv[++i];                                                           \
		}                                                                                  \
	} while (0)

		if (IS("debug")) {
			bool b = true;
			if (val && cli_parse_bool(val, &b) < 0)
				return -1;
			g->debug = b;
		} else if (IS("systemd-cgroup")) {
			bool b = true;
			if (val && cli_parse_bool(val, &b) < 0)
				return -1;
			g->systemd_cgroup = b;
		} else if (IS("root")) {
			TAKE_VALUE();
			g->root = val;
		} else if (IS("log")) {
			TAKE_VALUE();
			g->log_path = val;
		} else if (IS("log-format")) {
			TAKE_VALUE();
			if (strcmp(val, "json") == 0)
				g->json_log = true;
			else if (strcmp(val, "text") == 0)
				g->json_log = false;
			else {
				fprintf(stderr, "berth: invalid log-format: %s\n", val);
				return -1;
			}
		} else if (IS("rootless")) {
			TAKE_VALUE();
			g->rootless = val;
		} else if (IS("cgroup-manager")) {
			TAKE_VALUE();
			g->cgroup_manager = val;
		} else if (IS("criu")) {
			TAKE_VALUE();
			g->criu = val;
		} else if (IS("help") || IS("h")) {
			print_main_help(stdout);
			exit(0);
		} else if (IS("version") || IS("v")) {
			print_version();
			exit(0);
		} else {
			fprintf(stderr, "Incorrect Usage. flag provided but not defined: -%.*s\n\n",
				(int)nlen, name);
			print_main_help(stderr);
			return -1;
		}
#undef IS
#undef TAKE_VALUE
		i++;
	}
	*next = i;
	return 0;
}

/* An unknown command, with or without -h: runc's words (its CLI library's,
 * trailing newline included), as an error log line, and its exit code. */
static int no_help_topic(const char *name)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "No help topic for '%s'\n", name);
	log_error(msg);
	return CLI_EXIT_NO_COMMAND;
}

/* The layers below say what failed; which flag it is about, or which flag
 * helps, is cmd/'s to say: runc's words around their message. */
static const struct flag_hint {
	int reason;
	const char *before, *after;
} flag_hints[] = {
    {CGROUP_ERR_SYSTEMD_UNUSABLE, "", "; use --cgroup-manager=cgroupfs"},
    {RUNTIME_ERR_PID_FILE_PATH, "--pid-file: ", ""},
    {RUNTIME_ERR_EXEC_NO_COMMAND, "", " (args or --process)"},
    {RUNTIME_ERR_EXEC_PAUSED, "", " (use --ignore-paused to override)"},
    {RUNTIME_ERR_PARENT_ABSOLUTE, "--parent-path ", ""},
    {RUNTIME_ERR_PARENT_MISSING, "invalid --parent-path: ", ""},
};

static void add_flag_hint(struct berth_error *err)
{
	for (size_t i = 0; i < sizeof(flag_hints) / sizeof(flag_hints[0]); i++) {
		const struct flag_hint *h = &flag_hints[i];
		char msg[sizeof(err->msg)];

		if (err->reason != h->reason)
			continue;
		snprintf(msg, sizeof(msg), "%s%s%s", h->before, err->msg, h->after);
		memcpy(err->msg, msg, sizeof(msg));
		return;
	}
}

static void report(struct berth_error *err)
{
	add_flag_hint(err);
	const char *msg = err->msg[0] ? err->msg : "unknown error";

	if (log_to_file() || log_current_format() == LOG_FORMAT_JSON)
		log_error(msg);
	if (!(log_current_format() == LOG_FORMAT_JSON && !log_to_file()))
		fprintf(stderr, "berth: %s\n", msg);
}

int main(int argc, char **argv)
{
	struct cli_globals g = {0};
	struct berth_error err = {0};
	const struct cli_command *cmd;
	int next = 1;
	int rc;

	g.self_argv = argv;
	g.resealed = exeseal_take_reexec_mark();
	if (parse_globals(argc, argv, &g, &next) < 0)
		return CLI_EXIT_USAGE;
	if (!g.root)
		g.root = default_root();
	if (log_init(g.log_path, g.json_log ? LOG_FORMAT_JSON : LOG_FORMAT_TEXT, g.debug) < 0) {
		fprintf(stderr, "berth: open log file %s: %s\n", g.log_path, strerror(errno));
		return 1;
	}
	if (next >= argc) {
		print_main_help(stdout);
		return 0;
	}
	if (strcmp(argv[next], "help") == 0) {
		if (next + 1 >= argc) {
			print_main_help(stdout);
			return 0;
		}
		if (!(cmd = find_command(argv[next + 1])))
			return no_help_topic(argv[next + 1]);
		return cli_print_help(cmd);
	}
	cmd = find_command(argv[next]);
	if (!cmd)
		return no_help_topic(argv[next]);
	for (int i = next + 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "-help") == 0)
			return cli_print_help(cmd);
		if (argv[i][0] != '-')
			break; /* arguments after the ID belong to the container */
	}
	rc = cmd->run(&g, argc - next, argv + next, &err);
	if (rc < 0) {
		report(&err);
		return cmd->failure_exit ? cmd->failure_exit : 1;
	}
	return rc;
}
