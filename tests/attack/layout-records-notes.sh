# layout: records/notes.txt
hook=refuse
printf 'Zahra Testname, born 2010\n' >records/notes.txt
commit "records: notes"
expect "$C:records/notes.txt: error: TODO layout"
hook_expect "records/notes.txt: error: TODO layout"
