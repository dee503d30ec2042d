# an annotated tag whose message holds a phone number (tags allowed here)
server_config enas.allowRef refs/heads/main
server_config enas.allowRef refs/tags/v1
git tag -a -m "call +212 612 345 678" v1
push="origin refs/tags/v1"
expect "refs/tags/v1: error: message: holds what looks like a phone_number (records/rules/case.yaml's commit.deny.phone_number) (a commit message names record ids and fields, never a name, a date of birth or a phone number)"
