# a commit message of 2000 bytes (notes about a child)
write_case "$(case_file)"
commit "case NDR-2024-7K3QP: new

$(printf '%02000d' 0 | tr 0 x)"
expect "$C: error: message: is longer than 1000 bytes (records/rules/case.yaml's commit.max_length) (a commit message names record ids and fields, never a name, a date of birth or a phone number)"
