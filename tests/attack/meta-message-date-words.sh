# a commit message with a date in words
write_case "$(case_file)"
commit "case NDR-2024-7K3QP: née le 3 mars 2010"
expect "$C: error: message: holds what looks like a date_in_words (records/rules/case.yaml's commit.deny.date_in_words) (a commit message names record ids and fields, never a name, a date of birth or a phone number)"
