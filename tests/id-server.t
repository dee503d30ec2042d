#!/bin/sh
# The identity server's pre-receive hook (enas id pre-receive): shape
# only, it holds no key.  Identity files must be age files with an X25519
# stanza; the layout is closed; recipients, the token key and
# .gitattributes change only by an administrator; notes refs refused.
. "$(dirname "$0")/lib.sh"

if ! command -v age-keygen >/dev/null; then
	echo "1..0 # skip: no age-keygen (apt-get install age)"
	exit 0
fi
plan 10

cd "$TMP" || exit 2
age-keygen -o k 2>/dev/null
git init -q --bare srv.git
printf '#!/bin/sh\nexec enas-id pre-receive\n' >srv.git/hooks/pre-receive
chmod +x srv.git/hooks/pre-receive
git -C srv.git config --add enas.admin boss

enas-id init ids >/dev/null
cd ids || exit 2
mkdir -p ids/NDR
age-keygen -y ../k >ids/NDR/.recipients
enas-id -i ../k rekey NDR 2>/dev/null
git remote add origin ../srv.git

run env REMOTE_USER=worker git push -q origin main
is "2" "$(printf '%s\n' "$err" | grep -c 'only an administrator may')" \
    "recipients pushed by a worker: refused"
run env REMOTE_USER=boss git push -q origin main
is "0" "$rc" "the same pushed by an administrator: accepted"

printf 'names: [Zzyzx Testchild]\n' >ids/NDR/aaaaaaaaaaaaaaaaaaaaaaaa.age
git add -A && git commit -q -m 'id: clear text'
run env REMOTE_USER=worker git push -q origin main
printf '%s\n' "$err" | grep -q 'ids/NDR/aaaaaaaaaaaaaaaaaaaaaaaa.age: error: not an age file: age: not an age file'
ok $? "a file in clear is refused"
git reset -q --hard HEAD~1

# A key file is an age file with one scrypt stanza: just that shape.
ENAS_SCRYPT_WORK=10 ENAS_ID_PASSFD=3 enas-id keygen \
    -o ids/NDR/aaaaaaaaaaaaaaaaaaaaaaaa.age 3<../k >/dev/null 2>&1
git add -A && git commit -q -m 'id: passphrase'
run env REMOTE_USER=worker git push -q origin main
printf '%s\n' "$err" | grep -q 'never to a passphrase'
ok $? "a file encrypted to a passphrase is refused"
git reset -q --hard HEAD~1

printf 'x\n' | enas-id encrypt -R ids/NDR/.recipients >ids/NDR/notes.age
git add -A && git commit -q -m 'id: odd name'
run env REMOTE_USER=worker git push -q origin main
printf '%s\n' "$err" | grep -q 'ids/NDR/notes.age: error: a file the identity layout does not allow'
ok $? "a name outside the layout is refused"
git reset -q --hard HEAD~1

mkdir -p ids/NDR/sub
printf 'x\n' | enas-id encrypt -R ids/NDR/.recipients >ids/NDR/sub/aaaaaaaaaaaaaaaaaaaaaaaa.age
git add -A && git commit -q -m 'id: deeper'
run env REMOTE_USER=worker git push -q origin main
printf '%s\n' "$err" | grep -q 'ids/NDR/sub: error: a directory the identity layout does not allow'
ok $? "a directory outside the layout is refused"
git reset -q --hard HEAD~1

printf 'x\n' | enas-id encrypt -R ids/NDR/.recipients >ids/NDR/aaaaaaaaaaaaaaaaaaaaaaaa.age
git add -A && git commit -q -m 'id: a new identity'
run env REMOTE_USER=worker git push -q origin main
is "0" "$rc" "an identity file pushed by a worker: accepted"

git notes add -m 'names: [Zzyzx Testchild]' HEAD
run env REMOTE_USER=boss git push -q origin 'refs/notes/*'
printf '%s\n' "$err" | grep -q 'refs/notes/commits: notes are refused here'
ok $? "notes refs are refused, even from an administrator"

run env REMOTE_USER=boss git push -q origin main:refs/heads/other
printf '%s\n' "$err" | grep -q 'refs/heads/other: only refs/heads/main may be pushed'
ok $? "another branch is refused"

run env REMOTE_USER=boss git push -q origin :main
printf '%s\n' "$err" | grep -q 'deleting it is refused'
ok $? "deleting main is refused"

done_testing
