# control: an office merges main after the admin's rules change
accept=1
pusher=admin
sed -i 's/enum: \[male, female, unknown\]/enum: [male, female, unknown, other]/' records/rules/case.yaml
commit "rules: sex"
REMOTE_USER=admin git push -q origin HEAD:refs/heads/main
git reset -q --hard HEAD~1
write_case "$(case_file)"
commit "case NDR-2024-7K3QP: new"
git pull -q --no-rebase --no-edit origin main
pusher=ndr
