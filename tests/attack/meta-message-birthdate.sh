# a commit message with a date of birth
write_case "$(case_file)"
commit "case NDR-2024-7K3QP: born 03/02/2010"
expect "$C: error: message: holds what looks like a date (records/rules/case.yaml's commit.deny.date) (a commit message names record ids and fields, never a name, a date of birth or a phone number)"
