/*
 * bench/gen.c: a git fast-import stream of synthetic case records for
 * make bench: NCASES cases registered over NCOMMITS commits, one a
 * few hours from 2015 to 2024, of which about six in ten are closed in
 * a later commit.  Everything is invented and seeded: the same stream
 * every run.
 *
 *	gen BASE-COMMIT [NCASES [NCOMMITS [SHAPE]]] | git fast-import
 *
 * SHAPE is the order of registration (SPEC section 8): "date" (the
 * default), each case registered on its commit's day, so that a commit
 * touches one year's directory; or "any", each case registered on any
 * day of the last four years, so that every commit touches every
 * year's directory (NCASES / 4 files each in the end).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long seed = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

static const char *const sites[] = { "casablanca", "marrakech", "nador",
	"nador", "nador", "oujda" };
static const char *const offices[] = { "CAS", "MRK", "NDR", "NDR", "NDR",
	"OUJ" };
static const char *const locals[] = { "bayti", "alkaram", "asticude",
	"asticude", "asticude", "omdh" };
static const char *const sexes[] = { "male", "male", "male", "male",
	"male", "female", "unknown" };
static const char *const nats[] = { "GN", "CI", "ML", "SN", "CM", "NG",
	"SD", "MA", "XX" };
static const char *const concerns[] = { "migrant_in_transit",
	"street_child", "without_documentation", "trafficked_smuggled" };
static const char *const reasons[] = { "reunified", "durable_solution",
	"voluntary_return", "transferred", "lost_contact" };

struct kase {
	long long day;		/* of registration */
	int commit;		/* registered in */
	int closed;		/* closed in, or -1 */
	unsigned char site, sex, nat, concern, age, reason, reporting;
};

static struct kase *cases;
static long long *days;

static void
date(char buf[16], long long day)
{
	long long z = day + 719468, era = z / 146097, y;
	unsigned doe = (unsigned)(z - era * 146097), yoe, doy, mp, d, m;

	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, 16, "%04d-%02u-%02u", (int)((y + (m <= 2)) % 10000),
	    m % 13, d % 32);
}

static void
id(char buf[32], int n)
{
	static const char alpha[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned long x = ((unsigned long)n * 7919UL + 104729UL) % 33554432UL;
	char reg[16], code[6];
	int i;

	for (i = 4; i >= 0; i--) {
		code[i] = alpha[x % 32];
		x /= 32;
	}
	code[5] = '\0';
	date(reg, cases[n].day);
	snprintf(buf, 32, "%s-%.4s-%s", offices[cases[n].site], reg, code);
}

/* The case n as it stands after commit c. */
static void
emit(int n, int c)
{
	static char text[4096];
	const struct kase *k = &cases[n];
	char reg[16], cl[16], name[32];
	int len, shut = k->closed >= 0 && k->closed <= c;

	id(name, n);
	date(reg, k->day);
	len = snprintf(text, sizeof(text),
	    "id: %s\nregistered: %s\nsite: %s\npartner: %s\nsource: outreach\n"
	    "sex: %s\nage: %u\nage_estimated: true\nnationality: %s\n"
	    "protection_status: unaccompanied\nconcerns: [%s]\n"
	    "risk_level: medium\nstatus: %s\nconsent:\n  given_by: child\n"
	    "  services: true\n  share_with_orgs: true\n  reporting: %s\n"
	    "  tracing: false\ncare: residential_care\nreferrals:\n"
	    "  - date: %s\n    to: %s\n    service: shelter\n"
	    "    status: %s\nfollow_ups:\n  - date: %s\n    type: in_care\n",
	    name, reg, sites[k->site], locals[k->site], sexes[k->sex],
	    k->age, nats[k->nat], concerns[k->concern],
	    shut ? "closed" : "open", k->reporting ? "true" : "false", reg,
	    k->site == 0 ? "bayti" : "iom", shut ? "completed" : "accepted",
	    reg);
	if (shut) {
		date(cl, days[k->closed] > k->day ? days[k->closed] : k->day);
		len += snprintf(text + len, sizeof(text) - len,
		    "closure:\n  date: %s\n  reason: %s\n", cl,
		    reasons[k->reason]);
	}
	printf("M 100644 inline records/cases/%.4s/%s.yaml\ndata %d\n%s\n",
	    reg, name, len, text);
}

int
main(int argc, char *argv[])
{
	int ncases = argc > 2 ? atoi(argv[2]) : 100000;
	int ncommits = argc > 3 ? atoi(argv[3]) : 10000;
	int any = argc > 4 && strcmp(argv[4], "any") == 0;
	long long start = 16436, span = 3653;	/* 2015-01-01, ten years */
	int *closing, *next, c, n, first, last;
	char msg[64];

	if (argc < 2 || ncases < 1 || ncommits < 1 || (argc > 4 && !any &&
	    strcmp(argv[4], "date") != 0)) {
		fprintf(stderr, "usage: gen base-commit [ncases [ncommits "
		    "[date|any]]]\n");
		return 2;
	}
	if (!(cases = calloc((size_t)ncases, sizeof(*cases))) ||
	    !(days = calloc((size_t)ncommits, sizeof(*days))) ||
	    !(closing = malloc((size_t)ncommits * sizeof(*closing))) ||
	    !(next = malloc((size_t)ncases * sizeof(*next))))
		return 2;
	for (c = 0; c < ncommits; c++) {
		days[c] = start + (long long)c * span / ncommits;
		closing[c] = -1;
	}
	for (n = 0; n < ncases; n++) {
		struct kase *k = &cases[n];

		k->commit = (int)((long long)n * ncommits / ncases);
		k->site = (unsigned char)rnd(6);
		k->sex = (unsigned char)rnd(7);
		k->nat = (unsigned char)rnd(9);
		k->concern = (unsigned char)rnd(4);
		k->age = (unsigned char)(8 + rnd(10));
		k->reason = (unsigned char)rnd(5);
		k->reporting = rnd(33) != 0;
		k->closed = -1;
		/* 2021-01-01 and the 1 461 days after it. */
		k->day = any ? 18628 + (long long)rnd(1461) :
		    days[k->commit];
		if (rnd(10) < 6) {
			c = k->commit + 5 + (int)rnd(600);
			if (c < ncommits) {
				k->closed = c;
				next[n] = closing[c];
				closing[c] = n;
			}
		}
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	for (c = 0, first = 0; c < ncommits; c++, first = last) {
		for (last = first; last < ncases && cases[last].commit == c;
		    last++)
			;
		snprintf(msg, sizeof(msg), "records: %d new cases",
		    last - first);
		printf("commit refs/heads/main\n"
		    "committer Bench Office <bench@example.org> %lld +0100\n"
		    "data %zu\n%s\n", days[c] * 86400 + 36000 + c % 3600,
		    strlen(msg), msg);
		if (c == 0)
			printf("from %s\n", argv[1]);
		for (n = first; n < last; n++)
			emit(n, c);
		for (n = closing[c]; n >= 0; n = next[n])
			emit(n, c);
		printf("\n");
	}
	return fflush(stdout) == EOF ? 2 : 0;
}
