/* SPDX-License-Identifier: MIT */
/* Private to arch/host. */
#ifndef PGA_HOST_INTERNAL_H
#define PGA_HOST_INTERNAL_H

/* Report a detected misuse through the installed fault handler. */
void host_fault(const char *msg);

/* A nonzero token unique to the calling thread. */
int host_thread_token(void);

#endif
