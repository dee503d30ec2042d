#!/bin/sh
# Four offices, one remote: Casablanca, Marrakech, Oujda and Nador each
# change overlapping cases in their own clone (different fields, the
# same lists, the same field), then push, fetch, merge or rebase, and
# push again until everything lands.  Every change that does not
# conflict survives; every true conflict is reported on exactly its
# field; every commit the remote holds passes enas-check.
. "$(dirname "$0")/lib.sh"

plan 16

shared_remote "$TMP/srv.git"
c1=records/cases/2024/NDR-2024-AAAA1.yaml
c2=records/cases/2024/NDR-2024-AAAA2.yaml
c3=records/cases/2024/CAS-2024-AAAA3.yaml
c4=records/cases/2024/OUJ-2024-AAAA4.yaml
git clone -q "$TMP/srv.git" "$TMP/seed"
cd "$TMP/seed" || exit 2
git config core.hooksPath hooks
write_case "$c1" NDR-2024-AAAA1
write_case "$c2" NDR-2024-AAAA2
write_case "$c3" CAS-2024-AAAA3
sed -i 's/^site: nador/site: casablanca/' "$c3"
git add records && git commit -q -m 'cases: three to share' && git push -q origin main
for o in cas mrk ouj ndr; do
	office_clone "$TMP/srv.git" "$TMP/$o"
done

# keep ours|theirs: resolve every conflicted file by keeping one half
# of each conflict.
keep() {
	for file in $(git diff --name-only --diff-filter=U); do
		awk -v keep="$1" '
		/^<<<<<<< / { half = 1; next }
		half && /^=======$/ { half = 2; next }
		half && /^>>>>>>> / { half = 0; next }
		!half || (half == 1 && keep == "ours") ||
		    (half == 2 && keep == "theirs")' "$file" >"$TMP/resolved"
		cat "$TMP/resolved" >"$file"
		git add "$file"
	done
}

# noted OFFICE: the conflicts enas-merge reported, "office path field",
# into $TMP/conflicts.
noted() {
	tr '\r' '\n' <"$TMP/merge.out" |
	    sed -n 's/^\(records\/[^:]*\):[0-9]*:1: error: \([^:]*\): conflict: .*/\1 \2/p' |
	    sed "s/^/$1 /" >>"$TMP/conflicts"
}

# land OFFICE merge|rebase: push; while the remote has moved on, fetch,
# merge or rebase (each conflict resolved in the office's own favour),
# and push again.  Any other refusal fails.
land() {
	cd "$TMP/$1" || exit 2
	tries=0
	while ! git push -q origin main 2>"$TMP/push.err"; do
		if ! grep -q -e '(fetch first)' -e '(non-fast-forward)' "$TMP/push.err"; then
			sed 's/^/# /' "$TMP/push.err"
			return 1
		fi
		tries=$((tries + 1))
		[ $tries -le 5 ] || return 1
		git fetch -q
		if [ "$2" = rebase ]; then
			git rebase -q origin/main >"$TMP/merge.out" 2>&1
			while [ -d .git/rebase-merge ]; do
				noted "$1"
				keep theirs	# in a rebase, theirs is ours
				GIT_EDITOR=true git rebase --continue >"$TMP/merge.out" 2>&1
			done
		elif ! git merge --no-edit origin/main >"$TMP/merge.out" 2>&1; then
			noted "$1"
			keep ours
			git commit -q --no-edit || return 1
		fi
	done
	return 0
}

# Round 1: every office works offline from the same tree.
cd "$TMP/ndr" || exit 2
sed -i 's/^status: open/status: closed/' "$c1"
printf 'closure:\n  date: 2024-11-02\n  reason: reunified\n' >>"$c1"
sed -i 's/^risk_level: high/risk_level: low/' "$c2"
git commit -q -a -m 'cases NDR-2024-AAAA1: status, closure; NDR-2024-AAAA2: risk_level'

cd "$TMP/cas" || exit 2
sed -i 's/^follow_ups:/  - date: 2024-05-02\n    to: iom\n    service: legal\n    status: pending\nfollow_ups:/' "$c1"
sed -i 's/^care: .*/care: kafala/' "$c3"
git commit -q -a -m 'cases NDR-2024-AAAA1: referrals; CAS-2024-AAAA3: care'

cd "$TMP/mrk" || exit 2
printf '  - date: 2024-05-10\n    type: phone\n' >>"$c1"
sed -i 's/^risk_level: high/risk_level: medium/' "$c2"
sed -i '/^care:/d' "$c3"
git commit -q -a -m 'cases NDR-2024-AAAA1: follow_ups; NDR-2024-AAAA2: risk_level; CAS-2024-AAAA3: care'

cd "$TMP/ouj" || exit 2
printf '  - date: 2024-05-03\n    type: home_visit\n' >>"$c1"
sed -i 's/^  tracing: false/  tracing: true/' "$c1"
sed -i 's/^concerns: \[trafficked_smuggled, street_child\]/concerns: [trafficked_smuggled, street_child, child_labour]/' "$c2"
write_case "$c4" OUJ-2024-AAAA4
sed -i 's/^site: nador/site: oujda/' "$c4"
git add "$c4"
git commit -q -a -m 'cases NDR-2024-AAAA1: follow_ups, consent; NDR-2024-AAAA2: concerns; OUJ-2024-AAAA4: new'

: >"$TMP/conflicts"
land ndr merge && land cas merge && land mrk rebase && land ouj merge
ok $? "round 1: all four offices land their work"

# Round 2: each office catches up, then overlaps again.
for o in cas mrk ouj ndr; do
	git -C "$TMP/$o" pull -q --no-rebase || exit 2
done
cd "$TMP/cas" || exit 2
sed -i 's/^    status: pending/    status: accepted/' "$c1"
git commit -q -a -m 'case NDR-2024-AAAA1: referrals'
cd "$TMP/ouj" || exit 2
sed -i 's/^    status: pending/    status: accepted/' "$c1"
sed -i 's/^  reporting: true/  reporting: false/; s/^  given_by: child/  given_by: caregiver/' "$c3"
git commit -q -a -m 'cases NDR-2024-AAAA1: referrals; CAS-2024-AAAA3: consent'
cd "$TMP/ndr" || exit 2
printf '  - date: 2024-06-20\n    type: case_review\n' >>"$c2"
git commit -q -a -m 'case NDR-2024-AAAA2: follow_ups'
cd "$TMP/mrk" || exit 2
printf '  - date: 2024-06-20\n    type: home_visit\n' >>"$c2"
sed -i 's/^  given_by: child/  given_by: guardian/; s/^  services: true/  services: false/' "$c3"
git commit -q -a -m 'cases NDR-2024-AAAA2: follow_ups; CAS-2024-AAAA3: consent'

land cas rebase && land ouj merge && land ndr merge && land mrk rebase
ok $? "round 2: all four land again"

is "mrk $c3 care
mrk $c3 consent.given_by
mrk $c2 risk_level" "$(sort "$TMP/conflicts")" \
    "each true conflict was reported once, on exactly its field"

# The final tree, in a fresh clone.
git clone -q "$TMP/srv.git" "$TMP/final"
cd "$TMP/final" || exit 2
run enas-check --all
is "0:" "$rc:$err" "enas-check --all passes on the final tree"
git rev-list --all >"$TMP/commits"
bad=0
while read -r c; do
	enas-check -r "$c" >/dev/null 2>&1 || bad=$((bad + 1))
done <"$TMP/commits"
is "0" "$bad" "and on every commit the remote holds ($(wc -l <"$TMP/commits"))"
is "" "$(git grep -l -e '^<<<<<<<' -e '^>>>>>>>' -- records)" "no conflict marker landed"

is "id: NDR-2024-AAAA1
registered: 2024-03-14
site: nador
partner: asticude
source: outreach
sex: male
age: 15
age_estimated: true
nationality: GN
protection_status: unaccompanied
concerns: [trafficked_smuggled, street_child]
risk_level: high
status: closed
consent:
  given_by: child
  services: true
  share_with_orgs: true
  reporting: true
  tracing: true
care: residential_care
referrals:
  - date: 2024-03-15
    to: bayti
    service: safehouse
    status: accepted
  - date: 2024-05-02
    to: iom
    service: legal
    status: accepted
follow_ups:
  - date: 2024-04-02
    type: in_care
  - date: 2024-05-03
    type: home_visit
  - date: 2024-05-10
    type: phone
closure:
  date: 2024-11-02
  reason: reunified" "$(cat "$c1")" \
    "one case changed by four offices holds every change: closure, referral and its status, both follow-ups in date order, consent"

is "risk_level: medium" "$(grep '^risk_level:' "$c2")" \
    "a conflict resolved in Marrakech's favour keeps its value"
is "concerns: [trafficked_smuggled, street_child, child_labour]" \
    "$(grep '^concerns:' "$c2")" "a change to another field of the same case survives"
is "  - date: 2024-04-02
    type: in_care
  - date: 2024-06-20
    type: case_review
  - date: 2024-06-20
    type: home_visit" "$(sed -n '/^follow_ups:/,$p' "$c2" | sed 1d)" \
    "two follow-ups of one date from two offices are both kept"
is "" "$(grep '^care:' "$c3")" "a field removed in Marrakech, changed in Casablanca: Marrakech's choice"
is "consent:
  given_by: guardian
  services: false
  share_with_orgs: true
  reporting: false
  tracing: false" "$(sed -n '/^consent:/,/^[a-z]/p' "$c3" | sed '$d')" \
    "a nested mapping: a member from each office, one conflict resolved"
is "site: oujda" "$(grep '^site:' "$c4")" "a new case from Oujda landed"
is "4" "$(git ls-files records/cases | wc -l)" "no case lost, none duplicated"
is "$(git -C "$TMP/mrk" rev-parse HEAD)" "$(git rev-parse HEAD)" \
    "the last office to land holds the remote's tree"
run git log --merges --oneline
[ -n "$out" ]
ok $? "some offices merged ($(printf '%s\n' "$out" | grep -c .) merge commits), others rebased"

done_testing
