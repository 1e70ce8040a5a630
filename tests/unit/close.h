/*
 * assert_close(got, want, rel, abs) for the unit tests that compare doubles
 * by a relative and an absolute tolerance (Debian 12's cmocka compares
 * floats as float): passes when |got - want| <= abs or <= rel |want|.
 * Include after <cmocka.h>.
 */
#ifndef AC_TEST_CLOSE_H
#define AC_TEST_CLOSE_H

#include <math.h>

#define assert_close(a, b, rel, abs) assert_close_at((a), (b), (rel), (abs), __FILE__, __LINE__)
static void assert_close_at(double got, double want, double rel, double abs, const char *file,
                            int line)
{
	double d = fabs(got - want);
	if (!(d <= abs || d <= rel * fabs(want))) {
		print_error("%s:%d: got %.17g, expected %.17g (rel %g, abs %g)\n", file, line, got,
		            want, rel, abs);
		fail();
	}
}

#endif
