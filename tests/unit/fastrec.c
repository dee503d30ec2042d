/*
 * tests/unit/fastrec.c: the fast reader (lib/fastrec.c) against the full
 * parser (lib/record.c).  Whatever the fast reader accepts, the full
 * parser must accept too and build the same tree: types, keys, values,
 * order and every position.  Tried on sample records and on thousands
 * of mutations of them (bytes replaced by YAML's indicators, deleted,
 * lines doubled).  Prints TAP.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enas.h"
#include "fastrec.h"
#include "record.h"

#include "nodes.h"
#include "tap.h"

static unsigned long long seed = 0x2545f4914f6cdd1dULL;

static unsigned
rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

static const char *const samples[] = {
	"id: NDR-2024-7K3QP\nregistered: 2024-03-14\nsite: nador\n"
	"partner: asticude\nsource: outreach\nsex: male\nage: 15\n"
	"age_estimated: true\nnationality: GN\n"
	"protection_status: unaccompanied\n"
	"concerns: [trafficked_smuggled, street_child]\nrisk_level: high\n"
	"status: open\nconsent:\n  given_by: child\n  services: true\n"
	"  share_with_orgs: true\n  reporting: true\n  tracing: false\n"
	"care: residential_care\nreferrals:\n  - date: 2024-03-15\n"
	"    to: bayti\n    service: safehouse\n    status: accepted\n"
	"  - date: 2024-03-16\n    to: unhcr\n    service: legal\n"
	"    status: pending\nfollow_ups:\n  - date: 2024-04-02\n"
	"    type: in_care\nclosure:\n  date: 2024-11-02\n"
	"  reason: reunified\n",
	"id: SES-2024-M4ZD2\ndate: 2024-11-20\nkind: awareness\n"
	"site: casablanca\norganisers: [iom, bayti]\n"
	"themes: [irregular_migration_risks, forced_begging]\n"
	"audience: enas\nparticipants:\n  enas: 25\n  actors: 0\n",
	"id: bayti\nname: Association Bayti (Casablanca)\ntype: association\n"
	"sites: [casablanca]\nservices: []\ncountry: MA\n",
	"a: b\nlist:\n  - x\n  - y z\n  - p_q\nm:\n  n:\n    o:\n      p: 1\n"
	"    q: 1-1\n  r: 2024-01-01\n",
	"items:\n  - k: v\n    l:\n      - 1\n      - 2\n    m: w\n  - k: u\n",
	"x: a@b.c\ny: 1+1\nz: n(ote)\nw: 1/2\n",
	"deep:\n  a:\n    b:\n      c:\n        d:\n          e:\n"
	"            f: 1\n",
};

/*
 * 1 if the fast reader agrees with the full parser on buf, setting
 * *accepted when it did not decline.
 */
static int
agree(struct enas_fastrec *f, const char *buf, size_t len, int *accepted,
    char *why, size_t size)
{
	const struct enas_node *fast;
	struct enas_record *full = NULL;
	int rc, frc;

	fast = enas_fastrec_parse(f, buf, len, &frc);
	*accepted = fast != NULL;
	if (frc < 0) {
		snprintf(why, size, "out of memory");
		return 0;
	}
	if (!fast)
		return 1;
	rc = enas_record_parse(&full, buf, len, "x.yaml", 0, NULL, NULL);
	if (rc < 0) {
		snprintf(why, size, "accepted what the full parser refuses");
		return 0;
	}
	rc = nodes_same(fast, full->root, why, size);
	enas_record_free(full);
	return rc;
}

int
main(void)
{
	static const char indicators[] = " -:#[],'\"\n\tax0&*!|>{}?%@`~.\\";
	struct enas_fastrec *f;
	char buf[4096], why[512];
	size_t i, n, len, pos;
	int t, accepted, all = 1, fine = 1, took = 0, tried = 0;

	if (enas_fastrec_new(&f) < 0)
		return 2;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		if (!agree(f, samples[i], strlen(samples[i]), &accepted, why,
		    sizeof(why))) {
			printf("# sample %zu: %s\n", i, why);
			all = 0;
		}
		if (!accepted) {
			printf("# sample %zu declined\n", i);
			all = 0;
		}
	}
	ok(all, "every sample is read fast, to the full parser's tree");
	for (t = 0; t < 20000; t++) {
		const char *s = samples[rnd(sizeof(samples) /
		    sizeof(samples[0]))];

		len = strlen(s);
		memcpy(buf, s, len);
		for (n = 1 + rnd(3); n > 0; n--) {
			pos = rnd((unsigned)len);
			switch (rnd(4)) {
			case 0:		/* replace a byte */
			case 1:
				buf[pos] = indicators[rnd(sizeof(indicators) -
				    1)];
				break;
			case 2:		/* delete one */
				memmove(buf + pos, buf + pos + 1,
				    len - pos - 1);
				len--;
				break;
			default:	/* insert one */
				if (len + 1 >= sizeof(buf))
					break;
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = indicators[rnd(sizeof(indicators) -
				    1)];
				len++;
			}
		}
		tried++;
		if (!agree(f, buf, len, &accepted, why, sizeof(why))) {
			if (fine)
				printf("# mutation %d: %s in:\n# %.*s\n", t,
				    why, (int)len, buf);
			fine = 0;
		}
		took += accepted;
	}
	ok(fine, "%d mutations: whatever is read fast is read the same "
	    "by the full parser", tried);
	ok(took > 1000, "%d of them were plain enough to read fast", took);
	ok(enas_fastrec_parse(f, "a: b", 4, &t) == NULL && t == 0,
	    "no final newline: declined");
	ok(enas_fastrec_parse(f, "a: b\n\nc: d\n", 11, &t) == NULL,
	    "a blank line: declined");
	ok(enas_fastrec_parse(f, "a: 'b'\n", 7, &t) == NULL,
	    "a quoted value: declined");
	ok(enas_fastrec_parse(f, "a: b\na: c\n", 10, &t) == NULL,
	    "a duplicate key: declined");
	enas_fastrec_free(f);
	return tap_done();
}
