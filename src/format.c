/* SPDX-License-Identifier: MIT */
/*
 * A small vsnprintf for log messages and /proc-style text, so the core
 * needs no libc.  Supports %d %i %u %x %X %s %c %p %%, the flags '-' and
 * '0', a field width (number or '*'), a precision for strings, and the
 * length modifiers h hh l ll z.
 */
#include <stdarg.h>

#include "internal.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left;
	bool zero;
	bool alt;
	int width;
	int prec;
	int length; /* 0 int, 1 long, 2 long long, 3 size_t */
};

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->prec < 0 || n < sp->prec))
		n++;
	if (!sp->left)
		pad(o, sp->width - n, ' ');
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, sp->width - n, ' ');
}

static void put_num(struct out *o, const struct spec *sp,
		    unsigned long long v, bool neg, unsigned int base,
		    bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	int len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + (neg ? 1 : 0);
	if (!sp->left && !sp->zero)
		pad(o, sp->width - len, ' ');
	if (neg)
		put(o, '-');
	if (!sp->left && sp->zero)
		pad(o, sp->width - len, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, sp->width - len, ' ');
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->left = sp->zero = sp->alt = false;
	sp->width = 0;
	sp->prec = -1;
	sp->length = 0;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '#')
			sp->alt = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		sp->prec = 0;
		for (f++; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	while (*f == 'h')
		f++; /* promoted to int anyway */
	if (*f == 'z') {
		sp->length = 3;
		f++;
	}
	while (*f == 'l') {
		sp->length++;
		f++;
	}
	return f;
}

static unsigned long long arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 0:
		return va_arg(*ap, unsigned int);
	case 1:
		return va_arg(*ap, unsigned long);
	case 3:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned long long);
	}
}

static long long arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 0:
		return va_arg(*ap, int);
	case 1:
		return va_arg(*ap, long);
	case 3:
		return (long long)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, long long);
	}
}

static void convert(struct out *o, char c, const struct spec *sp, va_list *ap)
{
	long long s;

	switch (c) {
	case 'd':
	case 'i':
		s = arg_signed(sp, ap);
		put_num(o, sp, s < 0 ? 0ULL - (unsigned long long)s
				     : (unsigned long long)s,
			s < 0, 10, false);
		break;
	case 'u':
		put_num(o, sp, arg_unsigned(sp, ap), false, 10, false);
		break;
	case 'x':
	case 'X': {
		unsigned long long v = arg_unsigned(sp, ap);

		if (sp->alt && v) {
			put(o, '0');
			put(o, c);
		}
		put_num(o, sp, v, false, 16, c == 'X');
		break;
	}
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16,
			false);
		break;
	case 's':
		put_str(o, sp, va_arg(*ap, const char *));
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case '%':
		put(o, '%');
		break;
	default:
		put(o, '%');
		if (c)
			put(o, c);
	}
}

/*
 * Format into @buf (always NUL-terminated when @size > 0).
 * Return: the length the full output would have.  Context: any.
 */
int pga_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &aq);
		convert(&o, *fmt, &sp, &aq);
		if (*fmt)
			fmt++;
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

/* pga_vsnprintf() with variable arguments.  Context: any. */
int pga_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pga_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
