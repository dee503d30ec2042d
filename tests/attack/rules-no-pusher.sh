# a rules change when the server names no pusher
pusher=
sed -i 's/enum: \[male, female, unknown\]/enum: [male, female, unknown, other]/' records/rules/case.yaml
commit "rules: sex"
expect "$C:records/rules/case.yaml: error: only an admin may change the rules: an unnamed pusher is not in enas.admin, and the commit is not signed with an ssh key"
