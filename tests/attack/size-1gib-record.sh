# a 1 GiB blob at a record's path (zeros; the server reads only its header)
# 1 GiB with ENAS_FULL=1; else 128 MiB (64 under valgrind), which the
# memory bound tells apart as well and CI hashes in a second.
F=$(case_file)
size=134217728
[ -n "$ENAS_VALGRIND" ] && size=67108864
[ -n "$ENAS_FULL" ] && size=1073741824
mkdir -p "$(dirname "$F")"
truncate -s $size "$TMP/big"
blob=$(git -c core.compression=1 hash-object -w "$TMP/big")
rm -f "$TMP/big"
git update-index --add --cacheinfo 100644,$blob,"$F"
git commit -q --no-verify -m "case NDR-2024-7K3QP: new"
C=$(git rev-parse --short=7 HEAD)
cp "$SRV/hooks/pre-receive" "$TMP/pre-receive.orig"
printf '#!/bin/sh\nexec /usr/bin/time -f %%M -o "%s" enas-check --pre-receive\n' "$TMP/rss" >"$SRV/hooks/pre-receive"
undo="cp '$TMP/pre-receive.orig' '$SRV/hooks/pre-receive';"
expect "$C:$F: error: is $size bytes; no file of a records repository may be over 262144 bytes (it was not read)"
# The hook's peak memory (KiB), valgrind aside: far below the blob's size.
[ -z "$ENAS_VALGRIND" ] && check='rss=$(tail -n 1 "$TMP/rss"); echo "# hook max RSS: $rss KiB"; [ "$rss" -lt 65536 ]'
