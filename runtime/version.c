/* version.c - versions berth reports (features, state, --version). */
const char *berth_oci_version(void)
{
	return "1.3.0";
}
