#!/bin/sh
# The age format against Debian's age: enas encrypts, age decrypts; age
# encrypts, enas decrypts; key files protected by a passphrase both
# ways; tampered files refused; the compressed C2SP CCTV vectors.
. "$(dirname "$0")/lib.sh"

if ! command -v age >/dev/null || ! command -v age-keygen >/dev/null; then
	echo "1..0 # skip: no age (apt-get install age)"
	exit 0
fi
plan 30

export ENAS_SCRYPT_WORK=10
cd "$TMP" || exit 2

# The CCTV vectors kept compressed, inflated here; the others run in
# the unit test.
mkdir vz
for f in "$ENAS_SRC"/tests/fixtures/age/*; do
	grep -aq '^compressed: zlib' "$f" || continue
	# Under valgrind, the 16 MiB ones only cost time.
	case $f in *_25[78]_chunks*) [ -n "$ENAS_VALGRIND" ] && continue ;; esac
	perl -MCompress::Zlib -e '
		local $/; open my $f, "<:raw", $ARGV[0] or die;
		my $s = <$f>; my ($h, $b) = $s =~ /\A(.*?\n)\n(.*)\z/s or die;
		my $d = uncompress($b); defined $d or die;
		$h =~ s/^compressed: .*\n//m; binmode STDOUT; print $h, "\n", $d
	    ' "$f" >"vz/${f##*/}" || exit 2
done
n=$(ls vz | wc -l)
run ${ENAS_VALGRIND:+valgrind -q --error-exitcode=99} \
    "$ENAS_BUILD/tests/age" vectors vz
is "0:$n:0" "$rc:$(printf '%s\n' "$out" | grep -c '^ok'):$(printf '%s\n' \
    "$out" | grep -c '^not ok')" "the $n compressed CCTV vectors"

age-keygen -o key.txt 2>/dev/null
rcpt=$(age-keygen -y key.txt)

# enas encrypts, age decrypts: around the 64 KiB chunks.
for size in 0 1 65535 65536 65537 150000; do
	head -c $size /dev/urandom >plain
	enas-id encrypt -r "$rcpt" plain >plain.age
	age -d -i key.txt plain.age >back 2>err
	ok $(cmp -s plain back; echo $?) "enas encrypts $size bytes, age -d decrypts"
done

# age encrypts, enas decrypts.
for size in 0 1 65536 150000; do
	head -c $size /dev/urandom >plain
	age -r "$rcpt" -o plain.age plain
	run enas-id decrypt -i key.txt plain.age
	enas-id decrypt -i key.txt plain.age >back
	ok $(cmp -s plain back; echo $?) "age -r encrypts $size bytes, enas decrypts"
done

# Several recipients, from a file, both ways.
age-keygen -o other.txt 2>/dev/null
printf '# office NDR\n%s\n\n%s\n' "$rcpt" "$(age-keygen -y other.txt)" >rcpts
printf 'a child (synthetic)\n' >plain
enas-id encrypt -R rcpts plain >plain.age
run age -d -i other.txt plain.age
is "0:a child (synthetic)" "$rc:$out" "enas encrypts to -R, age decrypts with the second key"
age -R rcpts -o plain.age plain
run enas-id decrypt -i other.txt plain.age
is "0:a child (synthetic)" "$rc:$out" "age encrypts to -R, enas decrypts with the second key"
run enas-id encrypt -R key.txt plain
is "2:enas-id: key.txt:3: not an age recipient (age1...)" "$rc:$err" \
    "an identity file given as recipients is refused"

# Tampering: the stanza, the MAC, the payload, a cut file.
head -c 100000 /dev/urandom >plain
enas-id encrypt -r "$rcpt" plain >good.age
hdr=$(grep -abo -- '^--- ' good.age | head -1 | cut -d: -f1)
flip() {	# flip FILE OFFSET: change one byte
	cp good.age "$1"
	printf '\001' | perl -e 'open my $f, "+<:raw", $ARGV[0] or die;
	    seek $f, $ARGV[1], 0; read $f, my $c, 1; seek $f, $ARGV[1], 0;
	    print $f chr(ord($c) ^ 1)' "$1" "$2"
}
# (the stanza's line is base64: another base64 letter, so that it
# still parses)
cp good.age bad1.age
perl -e 'open my $f, "+<:raw", $ARGV[0] or die; seek $f, $ARGV[1], 0;
    read $f, my $c, 1; seek $f, $ARGV[1], 0;
    print $f ($c eq "A" ? "B" : "A")' bad1.age 40
run enas-id decrypt -i key.txt bad1.age
is "1:enas-id: bad1.age: age: no identity matches: the file is not encrypted to any of your keys" \
    "$rc:$err" "a changed stanza is refused"
# (the MAC is base64: another base64 letter, so that it still parses)
cp good.age bad2.age
perl -e 'open my $f, "+<:raw", $ARGV[0] or die; seek $f, $ARGV[1], 0;
    read $f, my $c, 1; seek $f, $ARGV[1], 0;
    print $f ($c eq "A" ? "B" : "A")' bad2.age $((hdr + 10))
run enas-id decrypt -i key.txt bad2.age
is "1:enas-id: bad2.age: age: the header's MAC does not match: the header was changed" \
    "$rc:$err" "a changed MAC is refused"
flip bad3.age $((hdr + 48 + 16 + 65536 + 100))
run enas-id decrypt -i key.txt bad3.age
is "1:enas-id: bad3.age: age: payload chunk 2 does not decrypt: the file was changed or cut:" \
    "$rc:$err:$out" "a changed second chunk is refused, nothing released"
head -c $((hdr + 48 + 16 + 65536 + 16)) good.age >bad4.age
run enas-id decrypt -i key.txt bad4.age
is "1:enas-id: bad4.age: age: payload chunk 1 does not decrypt: the file was changed or cut" \
    "$rc:$err" "a file cut after a full chunk is refused"
run age -d -i key.txt bad3.age
ok $([ "$rc" -ne 0 ]; echo $?) "age refuses the same changed chunk"
run enas-id decrypt -i key.txt plain
is "1:enas-id: plain: age: not an age file" "$rc:$err" "not an age file"
run enas-id decrypt -i other.txt good.age
is "1:enas-id: good.age: age: no identity matches: the file is not encrypted to any of your keys" \
    "$rc:$err" "another key does not open it"

# Key files: enas id keygen writes one age opens with its passphrase;
# age -p protects one that enas opens.
printf 'correct horse battery\n' >pass
run env ENAS_ID_PASSFD=3 enas-id keygen -o keys/me.age 3<pass
me=$out
is "0:" "$rc:$err" "keygen"
is "600 age-encryption.org/v1" "$(stat -c %a keys/me.age) $(head -1 keys/me.age)" \
    "the key file is private and encrypted"
ok $(grep -q AGE-SECRET-KEY keys/me.age; [ $? -ne 0 ]; echo $?) "no key in clear"
run env ENAS_ID_PASSFD=3 enas-id keygen -o keys/me.age 3<pass
is "2:enas-id: keys/me.age: already exists; keys are never overwritten" \
    "$rc:$err" "keygen never overwrites a key"
printf 'short\n' >short
run env ENAS_ID_PASSFD=3 enas-id keygen -o keys/new.age 3<short
is "2:enas-id: the passphrase must have at least 8 characters" "$rc:$err" \
    "a short passphrase is refused"
printf 'for me\n' | enas-id encrypt -r "$me" >me.age
run env ENAS_ID_PASSFD=3 enas-id decrypt -i keys/me.age me.age 3<pass
is "0:for me" "$rc:$out" "enas opens its key file with the passphrase"
printf 'wrong horse battery\n' >wrong
run env ENAS_ID_PASSFD=3 enas-id decrypt -i keys/me.age me.age 3<wrong
is "2:enas-id: keys/me.age: wrong passphrase for the key file" "$rc:$err" \
    "a wrong passphrase is refused"

# age asks its passphrase on the terminal: script(1) gives it one.  age
# flushes what was typed before it asks, so the passphrase is typed late,
# later again on a busy machine.
if command -v script >/dev/null && [ -z "$ENAS_VALGRIND" ]; then
	for wait in 1 3 8; do
		(sleep $wait; cat pass) | script -qec \
		    "age -d -i keys/me.age -o me.out me.age" /dev/null \
		    >/dev/null 2>&1 && break
	done
	is "for me" "$(cat me.out 2>/dev/null)" "age opens enas's key file with the passphrase"
	for wait in 1 3 8; do
		rm -f other.age
		(sleep $wait; cat pass; sleep $wait; cat pass) | script -qec \
		    "age -p -o other.age other.txt" /dev/null >/dev/null 2>&1 &&
		    [ -s other.age ] && break
	done
	printf 'for other\n' | enas-id encrypt -r "$(age-keygen -y other.txt)" >o.age
	run env ENAS_ID_PASSFD=3 enas-id decrypt -i other.age o.age 3<pass
	is "0:for other" "$rc:$out" "enas opens a key file age -p protected (scrypt 2^18)"
else
	ok 0 "# skip age opens enas's key file: no script(1), or valgrind"
	ok 0 "# skip enas opens age -p's key file: no script(1), or valgrind"
fi

done_testing
