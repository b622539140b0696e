/* cli.h - what every command file of cmd/ shares: the global flags, the
 * command table entry, and option parsing helpers.
 *
 * A command function parses its own flags and calls into runtime/. It
 * returns the process exit status (>= 0), or -1 with err filled; main()
 * prints the error once. */
#ifndef BERTH_CLI_H
#define BERTH_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/error.h"

struct cli_globals {
	const char *root;	    /* --root, or the default for this caller */
	const char *log_path;	    /* --log */
	bool json_log;		    /* --log-format json */
	bool debug;		    /* --debug */
	bool systemd_cgroup;	    /* --systemd-cgroup */
	const char *rootless;	    /* --rootless true|false|auto (NULL = auto) */
	const char *cgroup_manager; /* --cgroup-manager cgroupfs|systemd|disabled (NULL = auto) */
	const char *criu;	    /* --criu: the CRIU binary (NULL = "criu" from PATH) */
	char **self_argv;	    /* main()'s argv, for a re-exec from a sealed copy */
	bool resealed;		    /* this image is that re-exec: warnings were given */
};

struct cli_command {
	const char *name;
	int (*run)(const struct cli_globals *g, int argc, char **argv, struct berth_error *err);
	const char *usage;   /* "create [command options] <container-id>" */
	const char *summary; /* one line for `berth --help` */
	const char *options; /* the per-command help text of its flags */
	int failure_exit;    /* exit status when run fails (-1 with err); 0 means 1 */
};

/* Each command file defines one of these. */
#define CLI_COMMAND(n) extern const struct cli_command cli_cmd_##n
CLI_COMMAND(create);
CLI_COMMAND(start);
CLI_COMMAND(run);
CLI_COMMAND(state);
CLI_COMMAND(kill);
CLI_COMMAND(delete);
CLI_COMMAND(exec);
CLI_COMMAND(ps);
CLI_COMMAND(list);
CLI_COMMAND(pause);
CLI_COMMAND(resume);
CLI_COMMAND(update);
CLI_COMMAND(events);
CLI_COMMAND(features);
CLI_COMMAND(spec);
CLI_COMMAND(checkpoint);
CLI_COMMAND(restore);

struct runtime_opts;
/* The runtime/ view of the global flags. */
void cli_runtime_opts(const struct cli_globals *g, struct runtime_opts *ro);
/* --cgroup-manager and --systemd-cgroup as one choice; an unknown
 * --cgroup-manager value is an error (for the commands that make a cgroup). */
int cli_cgroup_manager(const struct cli_globals *g, enum cgroup_manager_kind *out,
		       struct berth_error *err);
/* Parse "--preserve-fds N"-style non-negative integers. */
int cli_parse_uint(const char *s, int *out);
/* --preserve-fds N: fds 3 .. 3+N-1 must be open in the caller. */
int cli_check_preserved_fds(int n, struct berth_error *err);

struct create_opts;
/* The flags `create` and `run` share (detach/keep NULL for create).
 * Returns 0, or the usage exit code. */
int cli_parse_create_flags(const struct cli_command *cmd, int argc, char **argv,
			   struct create_opts *o, bool *detach, bool *keep);

/* Exit status for bad command lines, as runc. */
#define CLI_EXIT_USAGE 1
/* An unknown command: runc exits 3 ("No help topic for ...") */
#define CLI_EXIT_NO_COMMAND 3

/* Print "Incorrect Usage: <why>" and the command's usage to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *why);
/* Print the command's help to stdout; returns 0. */
int cli_print_help(const struct cli_command *cmd);
/* getopt_long_only() over argv with a fresh state, so that both "-flag" and
 * "--flag[=value]" forms work as they do for runc. Returns as getopt does. */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/* Require exactly `n` positional arguments left after the options. */
int cli_require_args(const struct cli_command *cmd, int argc, int n, const char *names);
/* Parse a boolean flag value ("true"/"false"/"1"/"0"). */
int cli_parse_bool(const char *s, bool *out);

#endif
