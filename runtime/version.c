/* version.c - versions berth reports (see version.h). */
#include "version.h"

const char *berth_oci_version(void)
{
	return BERTH_OCI_VERSION;
}
