/* SPDX-License-Identifier: MIT */
/* Messages to the embedder: the log and panic hooks. */
#include <stdarg.h>

#include "internal.h"

#define PGA_LOG_LINE 256

/*
 * Format a line and hand it to the log hook (dropped when there is none).
 * Context: any; the message lives on the stack.
 */
void pga_log(enum pga_log_level level, const char *fmt, ...)
{
	char line[PGA_LOG_LINE];
	va_list ap;

	if (!pga_g.hooks.log)
		return;
	va_start(ap, fmt);
	pga_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pga_g.hooks.log(pga_g.hooks.ctx, level, line);
}

/*
 * Report unrecoverable corruption through the panic hook.  If the hook
 * returns (or there is none) the CPU spins: continuing would spread the
 * damage.  Context: any.
 */
_Noreturn void pga_panic(const char *fmt, ...)
{
	char line[PGA_LOG_LINE];
	va_list ap;

	va_start(ap, fmt);
	pga_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (pga_g.hooks.log)
		pga_g.hooks.log(pga_g.hooks.ctx, PGA_LOG_ERR, line);
	if (pga_g.hooks.panic)
		pga_g.hooks.panic(pga_g.hooks.ctx, line);
	for (;;)
		pga_arch_cpu_relax();
}
