# a new kind whose records hold free text
printf 'kind: note\ndir: notes\npath: "{id}.yaml"\nid: "N[0-9]+"\nfields:\n  id: {required: true}\n  text: {}\n' >records/rules/note.yaml
commit "rules: notes"
expect "$C:records/rules/note.yaml: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
