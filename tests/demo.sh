#!/bin/sh
# make demo: a synthetic records repository in DIR (default demo/),
# committed through the hooks, then checked.  Every record here is
# invented: no real child, no real session.
set -eu
dir=${1:-demo}
src=$(cd "$(dirname "$0")/.." && pwd)
PATH=${ENAS_BUILD:-$src/build}:$PATH
export PATH GIT_CONFIG_NOSYSTEM=1

rm -rf "$dir"
mkdir -p "$dir/records" "$dir/hooks"
cd "$dir"
git init -q
git config user.name 'Demo Office'
git config user.email demo@example.org
git config core.hooksPath hooks
cp -r "$src/records/rules" "$src/records/partners" records/
cp "$src/hooks/pre-commit" "$src/hooks/pre-merge-commit" "$src/hooks/pre-receive" hooks/
git add -A
git commit -q -m 'records: rules and partners'

# Synthetic cases: a fixed sequence, so every run is the same.
n=0
for site in nador marrakech casablanca nador oujda nador; do
	n=$((n + 1))
	case $site in
	nador) office=NDR partner=asticude ;;
	marrakech) office=MRK partner=alkaram ;;
	casablanca) office=CAS partner=bayti ;;
	oujda) office=OUJ partner=omdh ;;
	esac
	id=$office-2024-DEM0$n
	mkdir -p records/cases/2024
	cat >records/cases/2024/$id.yaml <<CASE
id: $id
registered: 2024-0$n-1$n
site: $site
partner: $partner
sex: $( [ $((n % 3)) = 0 ] && echo female || echo male )
age: $((10 + n))
nationality: XX
protection_status: unaccompanied
risk_level: medium
status: open
consent:
  reporting: true
CASE
	git add records/cases/2024/$id.yaml
	GIT_AUTHOR_DATE="2024-0$n-1${n}T10:00:00Z" \
	GIT_COMMITTER_DATE="2024-0$n-1${n}T10:00:00Z" \
	    git commit -q -m "case $id: new"
done

echo "demo: $(git rev-list --count HEAD) commits in $dir; enas-check --all:"
enas-check --all && echo "demo: every record passes"

echo "demo: a case with a name and an age of 19 is refused by the hook:"
sed 's/^age: .*/age: 19/; $a name: someone' records/cases/2024/NDR-2024-DEM01.yaml \
    >records/cases/2024/NDR-2024-DEM07.yaml
sed -i 's/DEM01/DEM07/' records/cases/2024/NDR-2024-DEM07.yaml
git add records/cases/2024/NDR-2024-DEM07.yaml
if git commit -q -m 'case NDR-2024-DEM07: new'; then
	echo "demo: the hook let an invalid record in" >&2
	exit 1
fi
git rm -q --cached records/cases/2024/NDR-2024-DEM07.yaml
rm records/cases/2024/NDR-2024-DEM07.yaml
