/* passwd.c - see passwd.h. */
#include "passwd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A decimal number that fits 32 bits, and nothing else. */
static bool parse_id(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool passwd_parse_line(char *line, struct passwd_entry *e)
{
	char *fields[7] = {0}, *cur = line;

	line[strcspn(line, "\n")] = '\0';
	for (size_t i = 0; i < 7 && cur; i++)
		fields[i] = strsep(&cur, ":");
	*e = (struct passwd_entry){.name = fields[0], .home = fields[5] ? fields[5] : ""};
	return fields[0] && *fields[0] && fields[2] && parse_id(fields[2], &e->uid);
}

int passwd_open(struct passwd_file *pf, const char *path)
{
	*pf = (struct passwd_file){.f = fopen(path, "re")};
	return pf->f ? 0 : -1;
}

bool passwd_next(struct passwd_file *pf, struct passwd_entry *e)
{
	while (getline(&pf->line, &pf->cap, pf->f) > 0)
		if (passwd_parse_line(pf->line, e))
			return true;
	return false;
}

void passwd_close(struct passwd_file *pf)
{
	if (pf->f)
		fclose(pf->f);
	free(pf->line);
	*pf = (struct passwd_file){0};
}
