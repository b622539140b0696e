/* seccomp_agent.c - the container process state for a seccomp agent (see
 * seccomp_agent.h). */
#include "seccomp_agent.h"

#include <jansson.h>

char *seccomp_agent_message(const struct berth_seccomp *s, pid_t pid, const char *state_json,
			    struct berth_error *err)
{
	json_error_t jerr;
	json_t *state = json_loads(state_json, 0, &jerr);
	if (!state || !json_is_object(state)) {
		json_decref(state);
		berr_set(err, "container state document: %s", state ? "not an object" : jerr.text);
		return NULL;
	}
	const char *version = json_string_value(json_object_get(state, "ociVersion"));
	json_auto_t *doc = json_pack("{s:s, s:[s], s:I}", "ociVersion", version ? version : "1.3.0",
				     "fds", "seccompFd", "pid", (json_int_t)pid);
	if (!doc ||
	    (s->listener_metadata && *s->listener_metadata &&
	     json_object_set_new(doc, "metadata", json_string(s->listener_metadata)) < 0) ||
	    json_object_set_new(doc, "state", state) < 0) {
		berr_set(err, "build the seccomp state document: out of memory");
		return NULL;
	}
	char *text = json_dumps(doc, JSON_COMPACT);
	if (!text)
		berr_set(err, "serialize the seccomp state document: out of memory");
	return text;
}
