# a commit message with a child's name and a phone number
write_case "$(case_file)"
commit "case NDR-2024-7K3QP: Zahra Testname, tel 0612345678"
expect "$C: error: message: holds what looks like a phone_number (records/rules/case.yaml's commit.deny.phone_number) (a commit message names record ids and fields, never a name, a date of birth or a phone number)"
