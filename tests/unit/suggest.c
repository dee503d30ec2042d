/*
 * tests/unit/suggest.c: the edit distance and "did you mean"
 * (lib/suggest.c).  Prints TAP; exits 0 when every test passed.
 */
#include <stdio.h>
#include <string.h>

#include "suggest.h"
#include "tap.h"

static void
dist(const char *a, const char *b, size_t want)
{
	size_t d = enas_suggest_distance(a, strlen(a), b, strlen(b));

	ok(d == want, "distance %s %s is %zu", a, b, want);
	if (d != want)
		printf("#  got: %zu\n", d);
}

static const char *
suggest(const char *word, const char *const *cands, size_t n)
{
	return enas_suggest(word, strlen(word), cands, n);
}

int
main(void)
{
	static const char *const sites[] = {
		"casablanca", "marrakech", "nador", "oujda"
	};
	static const char *const tools[] = {
		"check", "edit", "init", "log", "ls", "merge", "new", "show",
		"stats"
	};
	static const char *const two[] = { "bat", "cat" };
	char longw[ENAS_SUGGEST_MAX + 2];

	dist("", "", 0);
	dist("nador", "nador", 0);
	dist("nadour", "nador", 1);
	dist("Nador", "nador", 0);
	dist("ndaor", "nador", 1);	/* a swap is one slip */
	dist("kitten", "sitting", 3);
	memset(longw, 'a', sizeof(longw) - 1);
	longw[sizeof(longw) - 1] = '\0';
	dist(longw, "a", (size_t)-1);
	is("nador", suggest("nadour", sites, 4), "nadour: nador");
	is("nador", suggest("Nador", sites, 4), "Nador: nador");
	is("marrakech", suggest("marrakesh", sites, 4), "marrakesh: marrakech");
	is("casablanca", suggest("casa", sites, 4), "a prefix: casa");
	is(NULL, suggest("rabat", sites, 4), "rabat: nothing near");
	is("show", suggest("sho", tools, 9), "sho: show");
	is("stats", suggest("stat", tools, 9), "stat: stats");
	is("check", suggest("chekc", tools, 9), "chekc: check");
	is(NULL, suggest("zat", two, 2), "a tie: no guess");
	is(NULL, suggest(longw, sites, 4), "too long: no guess");
	return tap_done();
}
