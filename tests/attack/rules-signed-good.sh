# control: a rules change signed with the admin's ssh key, pushed by an office
accept=1
sed -i 's/enum: \[male, female, unknown\]/enum: [male, female, unknown, other]/' records/rules/case.yaml
gitopts="-c gpg.format=ssh -c user.signingkey=$TMP/admin.key"
commit "rules: sex" -S
