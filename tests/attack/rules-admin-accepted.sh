# control: the admin's rules change, alone in its commit, lands
accept=1
pusher=admin
sed -i 's/enum: \[male, female, unknown\]/enum: [male, female, unknown, other]/' records/rules/case.yaml
commit "rules: sex"
