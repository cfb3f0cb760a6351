/* SPDX-License-Identifier: MIT */
/*
 * What a freestanding libpga.a needs from its kernel (memcpy, memmove,
 * memset, memcmp) and a serial printf.  Built with
 * -fno-tree-loop-distribute-patterns so the loops stay loops.
 */
#include "boot.h"

int pga_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* The C library routines pga may call.  Context: any. */
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	return memmove(d, s, n);
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp < sp) {
		while (n--)
			*dp++ = *sp++;
	} else {
		while (n--)
			dp[n] = sp[n];
	}
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

static pga_arch_spinlock_t print_lock = PGA_ARCH_SPINLOCK_INIT;

/* printf to the serial port, one CPU at a time.  Context: any. */
void kprintf(const char *fmt, ...)
{
	char buf[256];
	unsigned long flags;
	va_list ap;
	int i;

	va_start(ap, fmt);
	pga_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	flags = pga_arch_irq_save();
	pga_arch_spin_lock(&print_lock);
	for (i = 0; buf[i]; i++) {
		if (buf[i] == '\n')
			arch_putc('\r');
		arch_putc(buf[i]);
	}
	pga_arch_spin_unlock(&print_lock);
	pga_arch_irq_restore(flags);
}
