/* version.h - the versions berth reports: its own (BERTH_VERSION, from
 * meson) and the OCI runtime spec it implements. */
#ifndef BERTH_VERSION_H
#define BERTH_VERSION_H

/* The runtime-spec version berth implements: `berth --version`, the state
 * document's and `spec`'s ociVersion, the features' ociVersionMax. */
#define BERTH_OCI_VERSION "1.3.0"

const char *berth_oci_version(void);

#endif
