/* config_parse.c - config.json to struct berth_spec: the top level.
 *
 * Reads ociVersion, root, mounts, hooks, annotations, hostname, domainname
 * here and hands process and linux to their own files. Validates as it
 * reads, naming the JSON path in every message. Unknown fields are ignored
 * (the spec says so); sections for other platforms are not modelled, but
 * the one enum of the FreeBSD schema that the conformance suite checks is
 * validated so a document that is invalid for every runtime is refused.
 * Must never touch the filesystem beyond reading the one file it is given. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "config_internal.h"
#include "libcontainer/readall.h"

/* "1.x.y" (and the "0.x" drafts the conformance examples still carry) are
 * the shapes we parse; a major of 2 or more may mean anything. */
static int check_version(const char *v, struct berth_error *err)
{
	char *end;

	if (v[0] < '0' || v[0] > '9')
		return berr_set(err, "ociVersion: not a version: \"%.64s\"", v);
	errno = 0;
	unsigned long major = strtoul(v, &end, 10);
	if (errno || (*end != '.' && *end != '\0'))
		return berr_set(err, "ociVersion: not a version: \"%.64s\"", v);
	if (major > 1)
		return berr_set(
		    err, "ociVersion: unsupported major version in \"%.64s\" (berth reads 1.x)", v);
	return 0;
}

static int parse_root(json_t *doc, struct berth_root *root, struct berth_error *err)
{
	json_t *o;
	int rc = cj_object(doc, "", "root", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	if (cj_string(o, "root", "path", CJ_REQ, &root->path, err) < 0 ||
	    cj_bool(o, "root", "readonly", CJ_OPT, &root->readonly, err) < 0)
		return -1;
	if (!root->path[0])
		return cj_fail(err, "root", "path", "must not be empty");
	return 1;
}

static int parse_mounts(json_t *doc, struct berth_spec *s, struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array_alloc(doc, "", "mounts", sizeof(*s->mounts), (void **)&s->mounts,
				&s->n_mounts, &arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < s->n_mounts; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_mount *m = &s->mounts[i];
		json_t *o = cj_item_object(arr, "", "mounts", i, ip, err);

		if (!o || cj_string(o, ip, "destination", CJ_REQ, &m->destination, err) < 0 ||
		    cfg_check_abs(m->destination, ip, "destination", err) < 0 ||
		    cj_string(o, ip, "type", CJ_OPT, &m->type, err) < 0 ||
		    cj_string(o, ip, "source", CJ_OPT, &m->source, err) < 0 ||
		    cj_strv(o, ip, "options", CJ_OPT, &m->options, &m->n_options, err) < 0 ||
		    cfg_id_mappings(o, ip, "uidMappings", &m->uid_mappings, &m->n_uid_mappings,
				    err) < 0 ||
		    cfg_id_mappings(o, ip, "gidMappings", &m->gid_mappings, &m->n_gid_mappings,
				    err) < 0)
			return -1;
	}
	return 1;
}

static int parse_hook_list(json_t *hooks, const char *key, struct berth_hook_list *l,
			   struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array_alloc(hooks, "hooks", key, sizeof(*l->hooks), (void **)&l->hooks, &l->n,
				&arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < l->n; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_hook *h = &l->hooks[i];
		json_t *o = cj_item_object(arr, "hooks", key, i, ip, err);
		int64_t timeout;

		if (!o || cj_string(o, ip, "path", CJ_REQ, &h->path, err) < 0 ||
		    cfg_check_abs(h->path, ip, "path", err) < 0 ||
		    cj_strv(o, ip, "args", CJ_OPT, &h->args, &h->n_args, err) < 0)
			return -1;
		rc = cj_strv(o, ip, "env", CJ_OPT, &h->env, &h->n_env, err);
		if (rc < 0)
			return -1;
		h->has_env = rc > 0;
		rc = cj_int64(o, ip, "timeout", CJ_OPT, &timeout, err);
		if (rc < 0)
			return -1;
		if (rc > 0 && (timeout < 1 || timeout > INT32_MAX))
			return cj_fail(err, ip, "timeout",
				       "must be a positive number of seconds, got %lld",
				       (long long)timeout);
		h->has_timeout = rc > 0;
		h->timeout = rc > 0 ? (int)timeout : 0;
	}
	return 1;
}

static int parse_hooks(json_t *doc, struct berth_hooks *h, struct berth_error *err)
{
	json_t *o;
	int rc = cj_object(doc, "", "hooks", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	if (parse_hook_list(o, "prestart", &h->prestart, err) < 0 ||
	    parse_hook_list(o, "createRuntime", &h->create_runtime, err) < 0 ||
	    parse_hook_list(o, "createContainer", &h->create_container, err) < 0 ||
	    parse_hook_list(o, "startContainer", &h->start_container, err) < 0 ||
	    parse_hook_list(o, "poststart", &h->poststart, err) < 0 ||
	    parse_hook_list(o, "poststop", &h->poststop, err) < 0)
		return -1;
	return 1;
}

/* The FreeBSD jail sharing modes: validated only so that the conformance
 * suite's invalid FreeBSD document is refused; nothing is modelled. */
static int check_freebsd(json_t *doc, struct berth_error *err)
{
	static const struct {
		const char *key;
		bool can_disable; /* host and vnet can only be inherited or new */
	} modes[] = {{"host", false},	{"ip4", true},	   {"ip6", true},    {"vnet", false},
		     {"sysvmsg", true}, {"sysvsem", true}, {"sysvshm", true}};
	json_t *fb, *jail;
	int rc = cj_object(doc, "", "freebsd", CJ_OPT, &fb, err);

	if (rc <= 0)
		return rc;
	rc = cj_object(fb, "freebsd", "jail", CJ_OPT, &jail, err);
	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const struct cfg_name_value *e = NULL;

		rc = cfg_enum(jail, "freebsd.jail", modes[i].key, CJ_OPT, &cfg_freebsd_sharing, &e,
			      NULL, err);
		if (rc < 0)
			return -1;
		if (rc > 0 && !modes[i].can_disable && strcmp(e->name, "disable") == 0)
			return cj_fail(err, "freebsd.jail", modes[i].key,
				       "unknown sharing mode \"disable\" (expected \"new\" or "
				       "\"inherit\")");
	}
	return 1;
}

static int parse_doc(json_t *doc, struct berth_spec *s, struct berth_error *err)
{
	json_t *o;
	int rc;

	if (cj_string(doc, "", "ociVersion", CJ_REQ, &s->oci_version, err) < 0 ||
	    check_version(s->oci_version, err) < 0 || parse_root(doc, &s->root, err) < 0 ||
	    parse_mounts(doc, s, err) < 0 ||
	    cj_string(doc, "", "hostname", CJ_OPT, &s->hostname, err) < 0 ||
	    cj_string(doc, "", "domainname", CJ_OPT, &s->domainname, err) < 0 ||
	    parse_hooks(doc, &s->hooks, err) < 0 ||
	    cj_map(doc, "", "annotations", CJ_OPT, &s->annotations, &s->n_annotations, err) < 0 ||
	    check_freebsd(doc, err) < 0)
		return -1;

	rc = cj_object(doc, "", "process", CJ_OPT, &o, err);
	if (rc < 0)
		return -1;
	s->has_process = rc > 0;
	if (rc > 0 && cfg_parse_process(o, "process", &s->process, err) < 0)
		return -1;

	rc = cj_object(doc, "", "linux", CJ_OPT, &o, err);
	if (rc < 0)
		return -1;
	s->has_linux = rc > 0;
	if (rc > 0 && cfg_parse_linux(o, "linux", &s->linux_, err) < 0)
		return -1;
	return 0;
}

struct berth_spec *berth_spec_parse(const char *data, size_t len, struct berth_error *err)
{
	json_t *doc = cj_decode(data, len, err);

	if (!doc)
		return NULL;
	struct berth_spec *s = calloc(1, sizeof(*s));
	if (!s) {
		json_decref(doc);
		berr_sys(err, ENOMEM, "parse config");
		return NULL;
	}
	int rc = parse_doc(doc, s, err);
	json_decref(doc);
	if (rc < 0) {
		berth_spec_free(s);
		return NULL;
	}
	return s;
}

struct berth_spec *berth_spec_load(const char *path, struct berth_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return berr_sys(err, errno, "open %s", path), NULL;
	if (fstat(fd, &st) < 0)
		return berr_sys(err, errno, "stat %s", path), NULL;
	if (!S_ISREG(st.st_mode))
		return berr_set(err, "%s: not a regular file", path), NULL;
	if ((uintmax_t)st.st_size > CJ_MAX_DOC_BYTES)
		return berr_set(err, "%s: larger than %u bytes", path, CJ_MAX_DOC_BYTES), NULL;

	/* Read to EOF rather than trusting st_size, which can change under us. */
	_cleanup_free_ char *buf = NULL;
	size_t len;
	if (read_all_fd(fd, (size_t)st.st_size, CJ_MAX_DOC_BYTES, &buf, &len) < 0) {
		if (errno == EFBIG) /* grew while we read it */
			return berr_set(err, "%s: larger than %u bytes", path, CJ_MAX_DOC_BYTES),
			       NULL;
		return berr_sys(err, errno, "read %s", path), NULL;
	}
	struct berth_spec *s = berth_spec_parse(buf, len, err);
	if (!s)
		berr_prefix(err, "%s", path);
	return s;
}

const struct berth_namespace *berth_spec_namespace(const struct berth_spec *spec,
						   enum berth_ns_type type)
{
	if (!spec || !spec->has_linux)
		return NULL;
	for (size_t i = 0; i < spec->linux_.n_namespaces; i++)
		if (spec->linux_.namespaces[i].type == type)
			return &spec->linux_.namespaces[i];
	return NULL;
}
