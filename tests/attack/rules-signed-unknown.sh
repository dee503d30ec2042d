# a rules change signed with an ssh key that the server does not know
sed -i 's/enum: \[male, female, unknown\]/enum: [male, female, unknown, other]/' records/rules/case.yaml
gitopts="-c gpg.format=ssh -c user.signingkey=$TMP/stranger.key"
commit "rules: sex" -S
expect "$C:records/rules/case.yaml: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit's signature is not by a key in enas.allowedSignersFile"
