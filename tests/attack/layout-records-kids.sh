# layout: records/kids/x.yaml, a directory no kind has
hook=refuse
mkdir -p records/kids
printf 'id: x\nname: Zahra Testname\n' >records/kids/x.yaml
commit "records: kids"
expect "$C:records/kids/x.yaml: error: TODO layout"
hook_expect "records/kids/x.yaml: error: TODO layout"
