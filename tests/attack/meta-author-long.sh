# an author name of 150 bytes
write_case "$(case_file)"
GIT_AUTHOR_NAME="$(printf '%0150d' 0 | tr 0 y)" commit "case NDR-2024-7K3QP: new"
expect "$C: error: author: is longer than 100 bytes (records/rules/case.yaml's commit.max_name) (a commit message names record ids and fields, never a name, a date of birth or a phone number)"
