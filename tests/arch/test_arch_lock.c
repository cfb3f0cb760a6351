/* SPDX-License-Identifier: MIT */
/*
 * The kernel arch backend's atomics, spinlock and page zeroing, run in
 * user space on the machine they were built for: arch/x86_64 on an x86_64
 * build host, arch/arm64 under qemu-aarch64 (twice there: LL/SC, then
 * LSE when the emulated CPU has it).  Host threads contend for the lock.
 * The interrupt and CPU-id entries are privileged and are not called.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pga/arch.h>

#define THREADS 4
#define ROUNDS 50000

static pga_arch_spinlock_t lock = PGA_ARCH_SPINLOCK_INIT;
static unsigned long plain_counter;
static pga_atomic_t counter;
static pga_atomic_long_t long_counter, stat_counter;

static void atomics_single_thread(void **state)
{
	pga_atomic_t a;
	pga_atomic_long_t l;

	(void)state;
	pga_atomic_set(&a, 5);
	assert_int_equal(pga_atomic_add_return(&a, 3), 8);
	assert_int_equal(pga_atomic_dec_return(&a), 7);
	assert_int_equal(pga_atomic_cmpxchg(&a, 6, 100), 7); /* fails */
	assert_int_equal(pga_atomic_read(&a), 7);
	assert_int_equal(pga_atomic_cmpxchg(&a, 7, 100), 7); /* succeeds */
	assert_int_equal(pga_atomic_read(&a), 100);
	assert_int_equal(pga_atomic_add_return(&a, -200), -100);
	pga_atomic_long_set(&l, 1L << 40);
	assert_int_equal(pga_atomic_long_add_return(&l, 1L << 33),
			 (1L << 40) + (1L << 33));
	pga_atomic_long_add_relaxed(&l, -(1L << 40));
	assert_int_equal(pga_atomic_long_read(&l), 1L << 33);
}

static void trylock_and_is_locked(void **state)
{
	pga_arch_spinlock_t l;

	(void)state;
	pga_arch_spin_init(&l);
	assert_false(pga_arch_spin_is_locked(&l));
	assert_true(pga_arch_spin_trylock(&l));
	assert_true(pga_arch_spin_is_locked(&l));
	assert_false(pga_arch_spin_trylock(&l));
	pga_arch_spin_unlock(&l);
	assert_false(pga_arch_spin_is_locked(&l));
	pga_arch_spin_lock(&l);
	assert_false(pga_arch_spin_trylock(&l));
	pga_arch_spin_unlock(&l);
	/* 16-bit tickets wrap without harm */
	for (int i = 0; i < 70000; i++) {
		pga_arch_spin_lock(&l);
		pga_arch_spin_unlock(&l);
	}
	assert_true(pga_arch_spin_trylock(&l));
	pga_arch_spin_unlock(&l);
}

static void *hammer(void *arg)
{
	int i, v;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		if (i & 1) {
			pga_arch_spin_lock(&lock);
		} else {
			while (!pga_arch_spin_trylock(&lock))
				pga_arch_cpu_relax();
		}
		plain_counter++; /* protected only by the lock */
		pga_arch_spin_unlock(&lock);
		pga_atomic_inc_return(&counter);
		pga_atomic_long_add_return(&long_counter, 3);
		pga_atomic_long_add_relaxed(&stat_counter, 1);
		do
			v = pga_atomic_read(&counter);
		while (pga_atomic_cmpxchg(&counter, v, v + 1) != v);
	}
	return NULL;
}

static void contention_loses_nothing(void **state)
{
	pthread_t t[THREADS];
	int i;

	(void)state;
	pga_arch_spin_init(&lock);
	plain_counter = 0;
	pga_atomic_set(&counter, 0);
	pga_atomic_long_set(&long_counter, 0);
	pga_atomic_long_set(&stat_counter, 0);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer, NULL), 0);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(plain_counter, THREADS * ROUNDS);
	assert_int_equal(pga_atomic_read(&counter), 2 * THREADS * ROUNDS);
	assert_int_equal(pga_atomic_long_read(&long_counter),
			 3L * THREADS * ROUNDS);
	assert_int_equal(pga_atomic_long_read(&stat_counter),
			 (long)THREADS * ROUNDS);
	assert_false(pga_arch_spin_is_locked(&lock));
}

/* FIFO: a waiter that took its ticket first gets the lock first. */
static pga_atomic_t order;
static int served[2];

static void *waiter(void *arg)
{
	int who = (int)(intptr_t)arg;

	pga_arch_spin_lock(&lock);
	served[who] = pga_atomic_inc_return(&order);
	pga_arch_spin_unlock(&lock);
	return NULL;
}

static void wait_for_tickets(unsigned int n)
{
	while (__atomic_load_n(&lock.t.next, __ATOMIC_ACQUIRE) != n)
		pga_arch_cpu_relax();
}

static void waiters_are_served_in_order(void **state)
{
	pthread_t a, b;
	int round;

	(void)state;
	for (round = 0; round < 20; round++) {
		pga_arch_spin_init(&lock);
		pga_atomic_set(&order, 0);
		pga_arch_spin_lock(&lock);
		pthread_create(&a, NULL, waiter, (void *)0);
		wait_for_tickets(2);
		pthread_create(&b, NULL, waiter, (void *)1);
		wait_for_tickets(3);
		pga_arch_spin_unlock(&lock);
		pthread_join(a, NULL);
		pthread_join(b, NULL);
		assert_int_equal(served[0], 1);
		assert_int_equal(served[1], 2);
	}
}

static void zero_and_copy_pages(void **state)
{
	unsigned char *p = aligned_alloc(4096, 4 * 4096);
	size_t i;

	(void)state;
	assert_non_null(p);
	memset(p, 0xa5, 4 * 4096);
	pga_arch_zero_pages(p + 4096, 2 * 4096);
	for (i = 0; i < 4 * 4096; i++)
		assert_int_equal(p[i], (i < 4096 || i >= 3 * 4096) ? 0xa5 : 0);
	for (i = 0; i < 4096; i++)
		p[i] = (unsigned char)i;
	pga_arch_copy_page(p + 3 * 4096, p);
	assert_memory_equal(p + 3 * 4096, p, 4096);
	free(p);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(atomics_single_thread),
	cmocka_unit_test(trylock_and_is_locked),
	cmocka_unit_test(contention_loses_nothing),
	cmocka_unit_test(waiters_are_served_in_order),
	cmocka_unit_test(zero_and_copy_pages),
};

#define RUN(name) _cmocka_run_group_tests(name, tests, \
	sizeof(tests) / sizeof(tests[0]), NULL, NULL)

#ifdef __aarch64__
/*
 * LL/SC first (the default), then LSE if the CPU has it.  PGA_EXPECT_LSE
 * (0 or 1), when set, is what the probe must find for the emulated CPU.
 */
int main(void)
{
	const char *expect = getenv("PGA_EXPECT_LSE");
	int failed;
	bool lse;

	pga_arm64_use_lse = false;
	failed = RUN("arm64_llsc");
	lse = pga_arm64_probe_lse();
	if (expect && (expect[0] == '1') != lse) {
		print_error("LSE probe found %d, expected %s\n", lse, expect);
		return failed + 1;
	}
	if (lse)
		failed += RUN("arm64_lse");
	return failed;
}
#else
int main(void)
{
	return RUN("x86_64");
}
#endif
