# layout: records/kids/x.yaml, a directory no kind has
hook=refuse
mkdir -p records/kids
printf 'id: x\nname: Zahra Testname\n' >records/kids/x.yaml
commit "records: kids"
expect "$C:records/kids: error: a directory outside the records layout: records/ holds only rules/, cases/, partners/, sessions/; remove it (git rm)"
hook_expect "records/kids: error: a directory outside the records layout: records/ holds only rules/, cases/, partners/, sessions/; remove it (git rm)"
