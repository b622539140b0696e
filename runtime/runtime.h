/* runtime.h - shared definitions of the OCI operations layer. */
#ifndef BERTH_RUNTIME_H
#define BERTH_RUNTIME_H
#endif
