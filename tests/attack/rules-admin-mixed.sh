# the admin's rules change with a record in the same commit
pusher=admin
F=$(case_file)
sed -i 's/enum: \[male, female, unknown\]/enum: [male, female, unknown, other]/' records/rules/case.yaml
write_case "$F"
commit "rules: sex"
expect "$C:$F: error: the commit also changes records/rules/case.yaml: a change of the rules or of a repository file is a commit of its own"
