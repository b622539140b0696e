/* update_parse.c - reading the LinuxResources document of `update -r`.
 *
 * The document is the linux.resources object of config.json, so it is
 * parsed by the config parser itself (one set of rules, one set of
 * messages): wrapped into a minimal config and handed to berth_spec_parse. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resources.h"

int update_resources_parse(const char *data, size_t len, struct berth_spec **holder,
			   struct berth_error *err)
{
	static const char head[] = "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"rootfs\"},"
				   "\"linux\":{\"resources\":";
	static const char tail[] = "}}";
	size_t n;
	char *doc;

	/* an empty document is an empty update */
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == ' '))
		len--;
	if (len == 0) {
		data = "{}";
		len = 2;
	}
	n = sizeof(head) - 1 + len + sizeof(tail) - 1;
	doc = malloc(n + 1);
	if (!doc)
		return berr_sys(err, ENOMEM, "parse resources");
	memcpy(doc, head, sizeof(head) - 1);
	memcpy(doc + sizeof(head) - 1, data, len);
	memcpy(doc + sizeof(head) - 1 + len, tail, sizeof(tail));
	*holder = berth_spec_parse(doc, n, err);
	free(doc);
	if (!*holder)
		return berr_prefix(err, "update resources");
	return 0;
}
