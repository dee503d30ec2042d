# a 1 MiB file outside records/
head -c 1048576 /dev/zero | tr '\0' 'x' >names.csv
commit "records: names"
expect "$C:names.csv: error: is 1048576 bytes; no file of a records repository may be over 262144 bytes (it was not read)"
