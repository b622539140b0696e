/* fuzz_config.c - libFuzzer target for the config.json and process.json parsers.
 *
 * Any input must either parse into a model whose invariants hold or be
 * refused with a message; never crash, leak (ASan's leak checker runs at
 * exit) or read out of bounds. Built by tests/fuzz/run.sh, not by meson. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/config/config.h"

static void check_strv(char **v, size_t n)
{
	if (n && !v)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!v[i])
			abort();
	if (v && v[n] != NULL) /* string arrays are NULL-terminated */
		abort();
}

static void check_process(const struct berth_process *p)
{
	check_strv(p->args, p->n_args);
	check_strv(p->env, p->n_env);
	if (p->n_args == 0 || !p->cwd || p->cwd[0] != '/')
		abort();
	for (size_t i = 0; i < p->n_rlimits; i++)
		if (p->rlimits[i].soft > p->rlimits[i].hard)
			abort();
}

static void check_spec(const struct berth_spec *s)
{
	if (!s->oci_version)
		abort();
	for (size_t i = 0; i < s->n_mounts; i++) {
		if (!s->mounts[i].destination || s->mounts[i].destination[0] != '/')
			abort();
		check_strv(s->mounts[i].options, s->mounts[i].n_options);
	}
	if (s->has_process)
		check_process(&s->process);
	unsigned seen = 0;
	for (size_t i = 0; i < s->linux_.n_namespaces; i++) {
		unsigned bit = 1u << s->linux_.namespaces[i].type;

		if ((seen & bit) || !berth_ns_type_name(s->linux_.namespaces[i].type))
			abort();
		seen |= bit;
		if (berth_spec_namespace(s, s->linux_.namespaces[i].type) !=
		    &s->linux_.namespaces[i])
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct berth_error err;

	memset(&err, 0, sizeof(err));
	struct berth_spec *s = berth_spec_parse((const char *)data, size, &err);
	if (s)
		check_spec(s);
	else if (!err.msg[0]) /* every refusal says why */
		abort();
	berth_spec_free(s);

	memset(&err, 0, sizeof(err));
	struct berth_process *p = berth_process_parse((const char *)data, size, &err);
	if (p)
		check_process(p);
	else if (!err.msg[0])
		abort();
	berth_process_free(p);
	return 0;
}
