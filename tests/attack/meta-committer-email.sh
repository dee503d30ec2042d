# a committer e-mail made of a phone number
write_case "$(case_file)"
GIT_COMMITTER_EMAIL="0612345678@example.org" commit "case NDR-2024-7K3QP: new"
expect "$C: error: committer: holds what looks like a phone_number (records/rules/case.yaml's commit.deny.phone_number) (a commit message names record ids and fields, never a name, a date of birth or a phone number)"
