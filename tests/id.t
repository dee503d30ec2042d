#!/bin/sh
# enas id: the identity repository.  Two offices each read their own
# children's identities and not the other's; a transfer moves one (with
# the consent recorded in the case); a rekey after a worker leaves makes
# new versions unreadable to the old key; a file swapped onto another
# case is refused; git diff shows clear text through the textconv
# driver and a merge of two edits decrypts, merges and re-encrypts.
# Every name, date and phone here is synthetic.
. "$(dirname "$0")/lib.sh"

if ! command -v age-keygen >/dev/null; then
	echo "1..0 # skip: no age-keygen (apt-get install age)"
	exit 0
fi
plan 37

export ENAS_SCRYPT_WORK=10
cd "$TMP" || exit 2
printf 'ndr passphrase\n' >ndr.pass
ENAS_ID_PASSFD=3 enas-id keygen -o ndr.key 3<ndr.pass >ndr.pub
age-keygen -o leaver.key 2>/dev/null
age-keygen -o ouj.key 2>/dev/null
age-keygen -o admin.key 2>/dev/null

# editor TEXT: an "editor" that writes TEXT into the file it is given.
editor() {
	printf '#!/bin/sh\ncat >"$1" <<'"'"'Y'"'"'\n%s\nY\n' "$1" >"$TMP/ed.sh"
	chmod +x "$TMP/ed.sh"
	export EDITOR="$TMP/ed.sh"
}
# as KEY: run enas-id with that key (the passphrase from ndr.pass).
ndr() { ENAS_ID_PASSFD=3 enas-id -i "$TMP/ndr.key" "$@" 3<"$TMP/ndr.pass"; }

run enas-id init ids
is "0:" "$rc:$err" "init"
cd ids || exit 2
is "diff=enas-id merge=enas-id enas-id textconv false enas-id merge %O %A %B %P" \
    "$(sed 's/^ids\/\*\/\*.age -text //' .gitattributes) $(git config diff.enas-id.textconv) $(git config diff.enas-id.cachetextconv) $(git config merge.enas-id.driver)" \
    "the drivers, and never cachetextconv"
mkdir -p ids/NDR ids/OUJ
{ echo '# NDR: workers, supervisor, break-glass'; cat ../ndr.pub
  age-keygen -y ../leaver.key; age-keygen -y ../admin.key; } >ids/NDR/.recipients
{ age-keygen -y ../ouj.key; age-keygen -y ../admin.key; } >ids/OUJ/.recipients
run ndr rekey NDR
is "0:" "$rc:$err" "rekey NDR makes the token key"
run enas-id -i ../admin.key rekey OUJ
is "0" "$rc" "rekey OUJ"
is "id: rekey OUJ
id: rekey NDR
id: a new identity repository" "$(git log --format=%s)" "commits that name no child"

editor 'id: NDR-2024-7K3QP
names: [Zzyzx Testchild, Zyzx Testchild]
dob_estimated: 2009-01-01
parents: [Testparent One]
relative: {relation: aunt_uncle, phone: '"'+212 600 000000'"'}
photo_ref: cabinet-3/folder-12'
run ndr edit -o NDR NDR-2024-7K3QP
is "0:" "$rc:$err" "edit: a new identity for NDR"
f=$(git ls-files 'ids/NDR/*.age')
case $f in ids/NDR/[a-z2-7]*.age) ok 0 "its file: ids/NDR/<token>.age" ;;
*) ok 1 "its file: ids/NDR/<token>.age ($f)" ;; esac
is "1 0" "$(git log --format=%s -1 | grep -c 'a new identity') $(git log -p | grep -c NDR-2024-7K3QP)" \
    "the commit names neither the case nor the token's source"
run ndr show NDR-2024-7K3QP
is "0:id: NDR-2024-7K3QP
names: [Zzyzx Testchild, Zyzx Testchild]" "$rc:$(printf '%s\n' "$out" | head -2)" \
    "show: the office reads its own"
run enas-id -i ../leaver.key show NDR-2024-7K3QP
is "0" "$rc" "a worker of the office reads it too"
run enas-id -i ../ouj.key show NDR-2024-7K3QP
is "1:enas-id: $f: not encrypted to your key: the identity belongs to another office" \
    "$(printf '%s\n' "$err" | grep -v 'in clear' | sed "s/^/$rc:/")" \
    "another office cannot read it"
run age -d -i ../admin.key "$f"
is "0:id: NDR-2024-7K3QP" "$rc:$(printf '%s\n' "$out" | tr -d '\000' | head -1)" \
    "age itself reads it with the break-glass key (the recovery path)"
run ndr show NDR-2024-7ZZZZ
is "1:enas-id: no identity for NDR-2024-7ZZZZ" "$rc:$err" "show: none"
run ndr show 'nador/../x'
is "2:enas-id: 'nador/../x' is not a case id" "$rc:$err" "show: not an id"

# A second child; then its file swapped onto the first one's place.
editor 'id: NDR-2024-8M4QR
names: [Qwerty Example]
dob: 2012-05-05'
ndr edit -o NDR NDR-2024-8M4QR 2>/dev/null
g=$(git ls-files 'ids/NDR/*.age' | grep -v "$f")
is "$(wc -c <"$f")" "$(wc -c <"$g")" "padded to buckets: the sizes say nothing"
cp "$f" ../keep.age
cp "$g" "$f"
run ndr show NDR-2024-7K3QP
is "1:$f:1:5: error: id: this file holds the identity of another case: it was moved or swapped, and is refused" \
    "$rc:$err" "a file swapped onto another case is refused"
cp ../keep.age "$f"
# Tampered: one byte of the payload.
perl -e 'open my $h, "+<:raw", $ARGV[0] or die; seek $h, 400, 0;
    read $h, my $c, 1; seek $h, 400, 0; print $h chr(ord($c) ^ 1)' "$f"
run ndr show NDR-2024-7K3QP
is "1:enas-id: $f: age: payload chunk 1 does not decrypt: the file was changed or cut" \
    "$rc:$err" "a tampered file is refused"
cp ../keep.age "$f"

# An error in the editor: nothing changes.
editor 'id: NDR-2024-7K3QP
names: [Zzyzx Testchild]
dob: 2009-02-30'
run ndr edit NDR-2024-7K3QP
is "1:NDR-2024-7K3QP.yaml:3:6: error: dob: '2009-02-30' is not a date (YYYY-MM-DD, one that exists) (date of birth, YYYY-MM-DD; or dob_estimated)
enas-id: nothing changed: the identity has errors" "$rc:$err" \
    "edit: an invalid identity is refused, nothing committed"
editor 'id: NDR-2024-8M4QR
names: [Zzyzx Testchild]
dob_estimated: 2009-01-01'
run ndr edit NDR-2024-7K3QP
is "1:NDR-2024-7K3QP.yaml:1:5: error: id: this file holds the identity of another case: it was moved or swapped, and is refused
enas-id: nothing changed: the identity has errors" "$rc:$err" \
    "edit: the case id cannot be changed"
is "0" "$(ls /dev/shm 2>/dev/null | grep -c '^enas-id\.')" "no clear copy left in /dev/shm"

# find: the office's own duplicate check.
run ndr find 'zzyzx testchlid' 2010
is "0:NDR-2024-7K3QP" "$rc:$out" "find: a close name, born within a year"
run ndr find 'Zzyzx Testchild' 2012
is "1:" "$rc:$out" "find: the name, but not the year"
run enas-id -i ../ouj.key find 'Zzyzx Testchild'
is "1:" "$rc:$out" "find: another office's children are not searched"

# git diff through the textconv driver; the objects hold no clear text.
editor 'id: NDR-2024-7K3QP
names: [Zzyzx Testchild, Zyzx Testchild]
dob_estimated: 2009-01-01
parents: [Testparent One, Testparent Two]
relative: {relation: aunt_uncle, phone: '"'+212 600 000000'"'}
photo_ref: cabinet-3/folder-12'
ndr edit NDR-2024-7K3QP 2>/dev/null
is "-parents: [Testparent One]
+parents: [Testparent One, Testparent Two]" \
    "$(ENAS_ID_KEY=$TMP/admin.key git log -p -1 --textconv 2>/dev/null | grep '^[-+]parents')" \
    "git log -p shows the change through the textconv driver"
found=0
for o in $(git rev-list --objects --all | cut -d' ' -f1); do
	git cat-file -p "$o" 2>/dev/null | grep -aq Testparent && found=1
done
is "0 0" "$found $(git notes list 2>/dev/null | wc -l)" "no object and no note holds clear text"

# A worker leaves: the rekey makes new versions unreadable to the old key.
grep -v "$(age-keygen -y ../leaver.key)" ids/NDR/.recipients >r.tmp
mv r.tmp ids/NDR/.recipients
run ndr rekey NDR
is "0:" "$rc:$err" "rekey NDR after a worker left"
run enas-id -i ../leaver.key show NDR-2024-7K3QP
is "2" "$rc" "the leaver cannot open the new token key"
run enas-id -i ../leaver.key decrypt "$f"
is "1" "$rc" "nor the new version of the file"
git show HEAD~1:"$f" >old.age
run enas-id -i ../leaver.key decrypt old.age
is "0" "$rc" "history cannot be revoked: the old version still opens (README)"
rm old.age

# A transfer to OUJ, with the consent recorded in the case.
records_repo "$TMP/rec"
write_case "$TMP/rec/records/cases/2024/NDR-2024-7K3QP.yaml"
sed -i 's/share_with_orgs: true/share_with_orgs: false/' \
    "$TMP/rec/records/cases/2024/NDR-2024-7K3QP.yaml"
git config enas.records "$TMP/rec"
run ndr transfer NDR-2024-7K3QP OUJ
is "1:enas-id: NDR-2024-7K3QP: the case records no consent to share (consent.share_with_orgs: true): the identity stays" \
    "$rc:$err" "transfer: refused without consent"
sed -i 's/share_with_orgs: false/share_with_orgs: true/' \
    "$TMP/rec/records/cases/2024/NDR-2024-7K3QP.yaml"
run ndr transfer NDR-2024-7K3QP OUJ
is "0:" "$rc:$err" "transfer: with consent"
t=${f#ids/NDR/}
is "ids/OUJ/$t" "$(git ls-files "*$t")" "the file moved to OUJ"
run enas-id -i ../ouj.key show NDR-2024-7K3QP
is "0:id: NDR-2024-7K3QP" "$rc:$(printf '%s\n' "$out" | head -1)" "OUJ reads it now"
run ndr show NDR-2024-7K3QP
is "1" "$rc" "NDR no longer does"

# Two offices' clones edit one identity: the merge driver.
cd "$TMP" || exit 2
git clone -q --bare ids srv.git
git clone -q srv.git a && git clone -q srv.git b
for c in a b; do
	git -C $c config diff.enas-id.textconv 'enas-id textconv'
	git -C $c config merge.enas-id.driver 'enas-id merge %O %A %B %P'
done
editor 'id: NDR-2024-8M4QR
names: [Qwerty Example]
dob: 2012-05-05
photo_ref: cabinet-1/folder-2'
(cd a && ndr edit NDR-2024-8M4QR 2>/dev/null)
editor 'id: NDR-2024-8M4QR
names: [Qwerty Example, Qwerty Exemple]
dob: 2012-05-05'
(cd b && ndr edit NDR-2024-8M4QR 2>/dev/null)
git -C a push -q origin main 2>/dev/null
cd b || exit 2
ENAS_ID_KEY=$TMP/admin.key git pull -q --no-rebase --no-edit origin main \
    >/dev/null 2>&1
is "0" "$?" "git pull merges two edits through the driver"
run ndr show NDR-2024-8M4QR
is "0:id: NDR-2024-8M4QR
names: [Qwerty Example, Qwerty Exemple]
dob: 2012-05-05
photo_ref: cabinet-1/folder-2" "$rc:$out" "both edits, merged field by field"
gg=$(git ls-files 'ids/NDR/*.age')
is "age-encryption.org/v1" "$(head -1 "$gg")" "and encrypted again"

done_testing
