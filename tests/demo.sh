#!/bin/sh
# make demo: a synthetic records repository in DIR (default demo/) with
# the year 2024 of the programme, committed day by day through the real
# pre-commit hook, then the statistics the programme publishes.
#
# Every record is invented: no real child, no real session.  The
# generator is seeded, so every run makes the same repository, and it
# reproduces the programme's published 2024 figures exactly: 1 042 ENAS
# identified and assisted (232 in Marrakech, 672 in Nador, 138 in
# Casablanca), and the campaign's 240 participants (150 ENAS in
# awareness sessions, 90 institutional and civil-society actors in
# training sessions) in Casablanca, Marrakech, Oujda and Nador.
set -eu
dir=${1:-demo}
src=$(cd "$(dirname "$0")/.." && pwd)
PATH=${ENAS_BUILD:-$src/build}:$PATH
export PATH GIT_CONFIG_NOSYSTEM=1 LC_ALL=C NO_COLOR=1

rm -rf "$dir"
mkdir -p "$dir/records"
cd "$dir"
git init -q
git config user.name 'Demo Office'
git config user.email demo@example.org
git config core.hooksPath "$src/hooks"
cp -r "$src/records/rules" "$src/records/partners" records/
git add -A
GIT_AUTHOR_DATE='2024-01-01T09:00:00+01:00' \
GIT_COMMITTER_DATE='2024-01-01T09:00:00+01:00' \
    git commit -q -m 'records: rules and partners'

# The year, one commit per day with activity.  awk plans every case's
# life (registration, referrals, follow-ups, closure) and the sessions,
# writes each record as it stands at the end of each day that changes
# it, and commits that day through the hook.
awk -v sites='marrakech 232 nador 672 casablanca 138' '
function rnd(n) {		# MINSTD: exact in any awk
	seed = (seed * 48271) % 2147483647
	return seed % n
}
function pick(list,    a, n) {
	n = split(list, a, " ")
	return a[1 + rnd(n)]
}
function ymd(doy,    m, d) {	# 2024 is a leap year
	m = 1
	while (doy > mdays[m]) {
		doy -= mdays[m]
		m++
	}
	return sprintf("2024-%02d-%02d", m, doy)
}
function mark(doy, n) {
	if (doy <= 366)
		dirty[doy] = dirty[doy] " " n
}
# The case as it stands at the end of day doy.
function write_case(n, doy,    f, i, shut) {
	f = "records/cases/2024/" id[n] ".yaml"
	printf "id: %s\nregistered: %s\nsite: %s\npartner: %s\n", id[n],
	    ymd(reg[n]), site[n], partner[n] >f
	printf "source: %s\nsex: %s\nage: %d\nage_estimated: %s\n",
	    source[n], sex[n], age[n], (age[n] >= 15 ? "true" : "false") >f
	printf "nationality: %s\nprotection_status: %s\n", nat[n],
	    pstatus[n] >f
	printf "separation_cause: %s\nconcerns: [%s]\nrisk_level: %s\n",
	    cause[n], concerns[n], risk[n] >f
	shut = closed[n] && closed[n] <= doy
	printf "status: %s\n", (shut ? "closed" : "open") >f
	printf "consent:\n  given_by: child\n  services: true\n" >f
	printf "  share_with_orgs: true\n  reporting: %s\n  tracing: %s\n",
	    reporting[n], tracing[n] >f
	printf "care: %s\n", care[n] >f
	if (refd[n] <= doy) {
		printf "referrals:\n" >f
		printf "  - date: %s\n    to: %s\n    service: %s\n", ymd(refd[n]),
		    refto[n], refsvc[n] >f
		printf "    status: %s\n", (shut ? "completed" : "accepted") >f
		if (ref2d[n] && ref2d[n] <= doy)
			printf "  - date: %s\n    to: %s\n    service: %s\n    status: %s\n",
			    ymd(ref2d[n]), ref2to[n], ref2svc[n], "pending" >f
	}
	if (fu1[n] && fu1[n] <= doy) {
		printf "follow_ups:\n  - date: %s\n    type: %s\n", ymd(fu1[n]),
		    "in_care" >f
		if (fu2[n] && fu2[n] <= doy)
			printf "  - date: %s\n    type: %s\n", ymd(fu2[n]),
			    "case_review" >f
	}
	if (shut)
		printf "closure:\n  date: %s\n  reason: %s\n", ymd(closed[n]),
		    reason[n] >f
	close(f)
}
function write_session(s, doy,    f) {
	f = "records/sessions/2024/" sid[s] ".yaml"
	printf "id: %s\ndate: %s\nkind: %s\nsite: %s\n", sid[s], ymd(doy),
	    skind[s], ssite[s] >f
	printf "organisers: [iom, %s]\n", sorg[s] >f
	printf "themes: [%s]\naudience: %s\n", sthemes[s], saud[s] >f
	printf "participants:\n  %s: %d\ncampaign: enas_2024_25\n",
	    (skind[s] == "awareness" ? "enas" : "actors"), spart[s] >f
	close(f)
}
# A code of 5 from the id alphabet (no I, L, O, U), one-to-one in n.
function code(n,    alpha, x, s, i) {
	alpha = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	x = (n * 7919 + 104729) % 33554432
	s = ""
	for (i = 0; i < 5; i++) {
		s = substr(alpha, x % 32 + 1, 1) s
		x = int(x / 32)
	}
	return s
}
BEGIN {
	seed = 20240101
	split("31 29 31 30 31 30 31 31 30 31 30 31", mdays, " ")
	office["marrakech"] = "MRK"; local["marrakech"] = "alkaram"
	office["nador"] = "NDR"; local["nador"] = "asticude"
	office["casablanca"] = "CAS"; local["casablanca"] = "bayti"
	svc["alkaram"] = "shelter psychosocial education family_tracing"
	svc["asticude"] = "interim_care basic_needs health psychosocial"
	svc["bayti"] = "safehouse shelter psychosocial vocational_training"
	# Exactly the published numbers of cases, in a shuffled order.
	ns = split(sites, sv, " ")
	total = 0
	for (i = 1; i <= ns; i += 2)
		for (j = 0; j < sv[i + 1]; j++)
			site[++total] = sv[i]
	for (i = total; i > 1; i--) {
		j = 1 + rnd(i)
		t = site[i]; site[i] = site[j]; site[j] = t
	}
	for (n = 1; n <= total; n++) {
		id[n] = office[site[n]] "-2024-" code(n)
		reg[n] = 1 + rnd(366)
		partner[n] = rnd(5) == 0 ? "iom" : local[site[n]]
		source[n] = pick("outreach outreach outreach police border community partner_referral self_referral")
		x = rnd(100)
		sex[n] = x < 84 ? "male" : x < 98 ? "female" : "unknown"
		age[n] = 8 + rnd(10)
		if (age[n] < 13 && rnd(2))
			age[n] += 4
		nat[n] = pick("GN GN CI CI ML SN CM NG SD MA XX")
		pstatus[n] = rnd(6) == 0 ? "separated" : "unaccompanied"
		cause[n] = pick("migration migration migration poverty family_abuse_violence_exploitation unknown")
		concerns[n] = pick("migrant_in_transit street_child without_documentation trafficked_smuggled")
		if (rnd(3) == 0)
			concerns[n] = concerns[n] ", psychosocial_distress"
		risk[n] = pick("low medium medium high")
		reporting[n] = rnd(33) == 0 ? "false" : "true"
		tracing[n] = rnd(2) ? "true" : "false"
		care[n] = pick("residential_care residential_care safehouse street relatives unrelated_adult")
		refd[n] = reg[n] + rnd(3)
		if (rnd(4) == 0) {
			refto[n] = "iom"
			refsvc[n] = pick("family_tracing voluntary_return health")
		} else {
			refto[n] = local[site[n]]
			refsvc[n] = pick(svc[refto[n]])
		}
		if (rnd(5) == 0) {
			ref2d[n] = refd[n] + 7 + rnd(20)
			ref2to[n] = pick("unhcr pmp iom")
			ref2svc[n] = "documentation"
			if (ref2to[n] == "unhcr")
				ref2svc[n] = "asylum_procedure"
			if (ref2to[n] == "pmp")
				ref2svc[n] = "legal"
		}
		fu1[n] = reg[n] + 14 + rnd(7)
		fu2[n] = fu1[n] + 30 + rnd(30)
		if (rnd(10) < 7)
			closed[n] = reg[n] + 20 + rnd(180)
		if (closed[n] > 366)
			closed[n] = 0
		if (closed[n]) {
			if (fu1[n] >= closed[n])
				fu1[n] = 0
			if (fu2[n] >= closed[n] || !fu1[n])
				fu2[n] = 0
			if (ref2d[n] >= closed[n])
				ref2d[n] = 0
			reason[n] = pick("reunified reunified durable_solution voluntary_return transferred lost_contact protection_concerns_resolved")
			if (age[n] == 17 && rnd(2))
				reason[n] = "reached_majority"
		}
		mark(reg[n], n); mark(refd[n], n); mark(ref2d[n], n)
		mark(fu1[n], n); mark(fu2[n], n); mark(closed[n], n)
	}
	# The campaign: 150 ENAS in 8 awareness sessions, 90 actors in
	# 4 training sessions, in the four cities, from October.
	split("20 18 22 17 19 16 21 17", aw, " ")
	split("25 20 23 22", tr, " ")
	split("casablanca marrakech oujda nador", city, " ")
	orgof["casablanca"] = "bayti"; orgof["marrakech"] = "alkaram"
	orgof["oujda"] = "omdh"; orgof["nador"] = "asticude"
	for (s = 1; s <= 12; s++) {
		sid[s] = "SES-2024-" code(5000 + s)
		skind[s] = s <= 8 ? "awareness" : "training"
		spart[s] = s <= 8 ? aw[s] : tr[s - 8]
		ssite[s] = city[1 + (s - 1) % 4]
		sorg[s] = orgof[ssite[s]]
		sthemes[s] = "law_27_14, national_referral_mechanism, case_management"
		saud[s] = s % 2 ? "institutional_actors" : "civil_society"
		if (s <= 8) {
			sthemes[s] = "irregular_migration_risks, trafficking, child_rights"
			saud[s] = "enas"
		}
		sday[s] = 275 + 7 * s
		sess[sday[s]] = sess[sday[s]] " " s
	}
	system("mkdir -p records/cases/2024 records/sessions/2024")
	commits = 0
	for (doy = 1; doy <= 366; doy++) {
		if (!(doy in dirty) && !(doy in sess))
			continue
		nnew = nchg = nses = 0
		m = split(dirty[doy], list, " ")
		for (i = 1; i <= m; i++) {
			if (list[i] in done)
				continue
			done[list[i]] = 1
			write_case(list[i], doy)
			if (reg[list[i]] == doy)
				nnew++
			else
				nchg++
		}
		for (i = 1; i <= m; i++)
			delete done[list[i]]
		m = split(sess[doy], list, " ")
		for (i = 1; i <= m; i++) {
			write_session(list[i], doy)
			nses++
		}
		msg = sprintf("records: %s: %d new cases, %d updated, %d sessions",
		    ymd(doy), nnew, nchg, nses)
		when = ymd(doy) "T18:00:00+01:00"
		if (system("git add -A records && GIT_AUTHOR_DATE=" when \
		    " GIT_COMMITTER_DATE=" when " git commit -q -m \"" msg "\"") != 0) {
			print "demo: the hook refused the records of " ymd(doy) \
			    > "/dev/stderr"
			exit 1
		}
		commits++
	}
	printf "demo: %d commits of synthetic 2024 activity, each through the pre-commit hook\n", commits
}'

show() {
	echo
	echo "\$ $*"
	"$@"
}
echo "demo: enas-check --all: $(enas-check --all 2>&1 && echo every record passes)"
show enas-stats cases -g site -p 2024 -O table
show enas-stats sessions -g kind -s participants -O table
show enas-stats cases --history -M -p 2024 -w status=open -O table
show enas-stats cases -g sex,age:band -p 2024 --publish -O table 2>&1

# The hook at work: a case with a name and an age of 19 is refused.
echo
echo "demo: a case with a name and an age of 19 is refused by the hook:"
f=$(git ls-files records/cases | head -n 1)
bad=records/cases/2024/NDR-2024-BAD19.yaml
sed 's/^id: .*/id: NDR-2024-BAD19/; s/^site: .*/site: nador/;
    s/^partner: .*/partner: asticude/; s/^age: .*/age: 19/; $a name: someone' \
    "$f" >"$bad"
git add "$bad"
if git commit -q -m 'case NDR-2024-BAD19: new' 2>&1; then
	echo "demo: the hook let an invalid record in" >&2
	exit 1
fi
git rm -q --cached "$bad"
rm "$bad"
