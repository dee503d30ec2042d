# layout: records/notes.txt
hook=refuse
printf 'Zahra Testname, born 2010\n' >records/notes.txt
commit "records: notes"
expect "$C:records/notes.txt: error: a file outside the records layout: records/ holds only rules/, cases/, partners/, sessions/; remove it (git rm)"
hook_expect "records/notes.txt: error: a file outside the records layout: records/ holds only rules/, cases/, partners/, sessions/; remove it (git rm)"
