# a case with CRLF line ends, staged past git's line-end conversion
hook=refuse
F=$(case_file)
write_case "$F"
sed -i 's/$/\r/' "$F"
git update-index --add --cacheinfo 100644,"$(git hash-object -w --no-filters "$F")","$F"
rm -f "$F"
noadd=1
commit "case NDR-2024-7K3QP: new"
expect "$C:$F:1:19: error: CRLF line end; save the file with LF line ends"
hook_expect "$F:1:19: error: CRLF line end; save the file with LF line ends"
