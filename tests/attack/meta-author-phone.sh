# an author name holding a child's name and a phone number
write_case "$(case_file)"
GIT_AUTHOR_NAME="Zahra Testname +212 6 12 34 56 78" commit "case NDR-2024-7K3QP: new"
expect "$C: error: author: holds what looks like a phone_number (records/rules/case.yaml's commit.deny.phone_number) (a commit message names record ids and fields, never a name, a date of birth or a phone number)"
