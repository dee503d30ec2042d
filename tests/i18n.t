#!/bin/sh
# The tools in French (issue 12 item 1): the README's tour run in
# fr_FR.UTF-8 says exactly the expected French, while every machine
# output (TSV, CSV, JSON, ids, records, commits, enas log's history,
# the FILE:LINE:COL: prefix) is byte-identical to the C locale's; and a pseudo-locale, every
# message of po/enas.pot wrapped in ⟦ ⟧, finds what escapes translation.
. "$(dirname "$0")/lib.sh"

fr=fr_FR.UTF-8
if ! locale -a 2>/dev/null | grep -qix 'fr_FR\.utf-\{0,1\}8'; then
	echo "1..0 # SKIP no $fr locale (as root: sh tools/deps locales)"
	exit 0
fi
if ! [ -f "$ENAS_LOCALEDIR/fr/LC_MESSAGES/enas.mo" ]; then
	echo "1..0 # SKIP no catalogue in $ENAS_LOCALEDIR (make builds it)"
	exit 0
fi
if ! command -v msgen >/dev/null || ! command -v msgfmt >/dev/null; then
	echo "1..0 # SKIP gettext's msgen and msgfmt are missing (tools/deps build)"
	exit 0
fi

# step NAME CMD...: runs a step of the tour, keeping its standard
# output, standard error and exit status in $S/NAME.{out,err,rc}.
step() {
	_n=$1
	shift
	"$@" >"$S/$_n.out" 2>"$S/$_n.err"
	echo $? >"$S/$_n.rc"
}

# editor NAME SED-SCRIPT: an editor that changes the file as a person
# would.
editor() {
	printf '#!/bin/sh\nsed -i %s "$1"\n' "'$2'" >"$TMP/$1"
	chmod +x "$TMP/$1"
}
# (fill keeps the template it was given in ../template, beside the
# repository.)
editor fill 'w ../template
    s/^partner:$/partner: asticude/; s/^sex:$/sex: male/;
    s/^age:$/age: 15/; s/^nationality:$/nationality: GN/;
    s/^protection_status:$/protection_status: unaccompanied/;
    s/^risk_level:$/risk_level: high/; s/^status:$/status: open/;
    s/^  reporting:$/  reporting: true/'
editor slip 's/^partner:$/partner: asticude/; s/^sex:$/sex: garcon/;
    s/^age:$/age: 19/; s/^nationality:$/nationality: GN/;
    s/^protection_status:$/protection_status: unaccompanied/;
    s/^risk_level:$/risk_level: high/; s/^status:$/status: oui/;
    s/^site:.*/site: nadour/; $a name: Zzyzx'
editor age19 's/^age: 15/age: 19/'
editor close 's/^status: open/status: closed/;
    $a closure:\n  date: 2024-11-02\n  reason: reunified'

# The tour of README.md ("A case worker's first ten minutes", "Every
# day", "Statistics"), in $1, in the current locale.  Ids are given so
# that both runs make the same records, and with the fixed dates of
# lib.sh the same commits.
tour() {
	S=$1/steps
	mkdir -p "$S"
	cd "$1" || exit 2
	step init enas init nador
	cd nador || exit 2
	git config enas.office NDR
	step new env EDITOR="$TMP/fill" enas new case id=NDR-2024-7K3QP \
	    registered=2024-03-14
	step cat cat records/cases/2024/NDR-2024-7K3QP.yaml
	step newslip env EDITOR="$TMP/slip" enas new case id=NDR-2024-AAAAA \
	    registered=2024-03-15
	step newn enas new -n case id=NDR-2024-BBBBB registered=2024-03-16 \
	    partner=bayti sex=female age=13 nationality=CI \
	    protection_status=separated risk_level=medium status=open \
	    consent.reporting=true
	step newq enas new -n case id=NDR-2024-DDDDD registered=2024-04-02 \
	    partner=bayti sex=male age=16 nationality=ML \
	    protection_status=unaccompanied risk_level=low status=open \
	    consent.reporting=false
	step newbad enas new -n case --site nador id=NDR-2024-EEEEE \
	    registered=2024-03-16 sex=male age=oui nationality=GN \
	    consent.reporting=oui
	step edit19 env EDITOR="$TMP/age19" enas edit 7k3qp
	step editclose env EDITOR="$TMP/close" enas edit 7k3qp
	step log enas log --oneline NDR-2024-7K3QP
	step ls enas ls case -w status=open -w site=nador -f id,age
	step lsage enas ls case -w 'age<14'
	step show enas show NDR-2024-7K3QP
	step checkall enas-check --all
	# By hand, in an editor: the hook and enas-check say the same.
	f=records/cases/2024/NDR-2024-BBBBB.yaml
	sed -i 's/^site: nador/site: nadour/; s/^sex: female/sex: F/;
	    s/^  reporting: true/  reporting: oui/; $a name: Zzyzx' "$f"
	step checkfile enas-check "$f"
	step checkjson enas-check -O json "$f"
	git add "$f"
	step commit git commit -q -m 'by hand'
	git reset -q --hard
	sed -i '$a consent.tracing: true' "$f"
	step checkdot enas-check "$f"
	git checkout -q -- "$f"
	step help enas help
	step sho enas sho
	step stats enas-stats cases -g site,sex -p 2024
	step statscsv enas-stats cases -g site -M -p 2024 -O csv --totals
	step statsjson enas-stats cases -g status -O json
	step statstable enas-stats cases -g sex,age:band -O table
	step statspub enas-stats cases -g site --publish -O table
	step statsbad enas-stats cases -g colour
	step gitlog git log --format='%H %an %s'
	# Every day: enas sync with the shared remote.
	cd "$1" || exit 2
	step bare enas init --bare srv.git
	git clone -q srv.git office 2>/dev/null
	cd office || exit 2
	step init2 enas init
	git config enas.office NDR
	step new2 enas new -n case id=NDR-2024-CCCCC registered=2024-03-16 \
	    partner=bayti sex=female age=13 nationality=CI \
	    protection_status=separated risk_level=medium status=open \
	    consent.reporting=true
	step sync enas sync
	# (enas init --bare dates its commit now, whatever GIT_COMMITTER_DATE
	# says: subjects only)
	step gitlog2 git log --format='%an %s' origin/main
}

# The pseudo-locale: po/enas.pot (the build's, made from the sources
# of this build) with every msgstr its msgid, each line wrapped in ⟦ ⟧,
# leading and trailing newlines and conversions kept; installed as fr.
pot=$ENAS_BUILD/enas.pot
[ -f "$pot" ] || pot=$ENAS_SRC/po/enas.pot
mkdir -p "$TMP/pseudo/fr/LC_MESSAGES"
msgen "$pot" | perl -e '
	local $/ = "";
	my $first = 1;
	while (my $e = <STDIN>) {
		if ($first) {
			$first = 0;
			print "msgid \"\"\nmsgstr \"\"\n",
			    "\"Project-Id-Version: enas pseudo\\n\"\n",
			    "\"PO-Revision-Date: 2024-06-01 12:00+0000\\n\"\n",
			    "\"Last-Translator: tests/i18n.t\\n\"\n",
			    "\"Language-Team: none\\n\"\n",
			    "\"Language: fr\\n\"\n",
			    "\"MIME-Version: 1.0\\n\"\n",
			    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n",
			    "\"Content-Transfer-Encoding: 8bit\\n\"\n",
			    "\"Plural-Forms: nplurals=2; plural=(n > 1);\\n\"\n\n";
			next;
		}
		$e =~ s{^(msgstr(?:\[\d+\])?) ((?:"(?:[^"\\]|\\.)*"\n)+)}{
			my ($k, $v) = ($1, $2);
			my $s = join "", $v =~ /"((?:[^"\\]|\\.)*)"/g;
			my ($lead, $body, $trail) =
			    $s =~ /^((?:\\n)*)(.*?)((?:\\n)*)$/s;
			$body =~ s/((?:^|[^\\])(?:\\\\)*)\\n/$1⟧\\n⟦/g;
			"$k \"$lead⟦$body⟧$trail\"\n"
		}gme;
		print $e;
	}' >"$TMP/pseudo.po"
msgfmt -c -o "$TMP/pseudo/fr/LC_MESSAGES/enas.mo" "$TMP/pseudo.po" \
    2>"$TMP/pseudo.err"
pseudo_rc=$?

# The commands of the pseudo-locale test: WHERE|STREAMS|COMMAND, run in
# WHERE (r: a records repository with bad records, t: no repository),
# every line a person reads of STREAMS (e: standard error, oe: both)
# checked.
cat >"$TMP/pseudo.cmds" <<'CMDS'
t|e|enas --bogus
t|e|enas
t|oe|enas --help
r|e|enas sho
r|e|enas frobnicate
t|e|enas-check --bogus
t|oe|enas-check -h
t|e|enas-check --all
r|e|enas-check -O xml --all
r|e|enas-check records/cases/2024/NDR-2024-SXP01.yaml
r|e|enas-check records/cases/2024/NDR-2024-DTT01.yaml
r|e|enas-check records/cases/2024/NDR-2024-TAB01.yaml
r|e|enas-check records/cases/2024/NDR-2024-NDT01.yaml
r|e|enas-check records/cases/2024/NDR-2024-BADYM.yaml
r|e|enas-check -r nosuchrev
t|e|enas-edit --bogus
t|oe|enas-edit -h
r|e|enas-edit
r|e|enas-edit ZZZZZZ
r|e|enas-edit NDR-2024-ZZZZZ
t|e|enas-id --bogus
t|oe|enas-id -h
t|e|enas-id frobnicate
t|e|enas-id show NDR-2024-ZZZZZ
t|e|enas-init --bogus
t|oe|enas-init -h
t|e|enas-init a b
t|e|enas-log --bogus
t|oe|enas-log -h
r|e|enas-log
r|e|enas-log NDR-2024-ZZZZZ
t|e|enas-ls --bogus
t|oe|enas-ls -h
t|e|enas-ls case
r|e|enas-ls
r|e|enas-ls child
r|e|enas-ls case -w 'age<<3'
r|e|enas-ls case -w 'colour=red'
r|e|enas-ls case -f colour
t|e|enas-merge --bogus
t|oe|enas-merge -h
t|e|enas-merge a b
t|e|enas-new --bogus
t|oe|enas-new -h
r|e|enas-new
r|e|enas-new child
r|e|enas-new -n case bogus
r|e|enas-new -n case colour=red
r|e|enas-new -n case sex=F age=oui consent.reporting=oui registered=2024-13-01
t|e|enas-show --bogus
t|oe|enas-show -h
r|e|enas-show
r|e|enas-show ZZZZZZ
r|e|enas-show -r nosuchrev NDR-2024-SXP01
t|e|enas-stats --bogus
t|oe|enas-stats -h
r|e|enas-stats
r|e|enas-stats children
r|e|enas-stats cases -g colour
r|e|enas-stats cases -p 2024-13
r|e|enas-stats cases -O xml
r|e|enas-stats cases -k abc
r|e|enas-stats cases -w 'age<'
r|e|enas-stats cases -s colour
t|e|enas-sync --bogus
t|oe|enas-sync -h
r|e|enas-sync
r|e|enas-sync -n many
CMDS
ncmds=$(wc -l <"$TMP/pseudo.cmds")

plan $((52 + ncmds))

# The tour, in English (C) and in French.
(tour "$TMP/C")
(export LANG=$fr LC_ALL=$fr; tour "$TMP/fr")
C=$TMP/C/steps
F=$TMP/fr/steps

# fr NAME: the standard error of step NAME in French.
fr() { cat "$F/$1.err"; }

# (b) Machine output: byte-identical, and the same exit statuses.
for n in new cat newn newq log ls lsage show checkjson stats statscsv \
    statsjson statstable statspub gitlog new2 gitlog2; do
	if cmp -s "$C/$n.out" "$F/$n.out"; then
		ok 0 "$n: the output in French is the output in C"
	else
		ok 1 "$n: the output in French is the output in C"
		diff "$C/$n.out" "$F/$n.out" | sed 's/^/# /' >&2
	fi
done
for f in "$C"/*.rc; do
	printf '%s %s\n' "${f##*/}" "$(cat "$f")"
done >"$TMP/rc.C"
for f in "$F"/*.rc; do
	printf '%s %s\n' "${f##*/}" "$(cat "$f")"
done >"$TMP/rc.fr"
is "$(cat "$TMP/rc.C")" "$(cat "$TMP/rc.fr")" \
    "every step exits with the same status in French"
# The located prefix of every diagnostic, FILE:LINE:COL: error:, in
# the same order.
prefixes() {
	cat "$1"/*.err | sed -n 's/^\([^ ]*:[0-9]*:[0-9]*: \(error\|warning\):\) .*/\1/p'
}
is "$(prefixes "$C")" "$(prefixes "$F")" \
    "the FILE:LINE:COL: error: prefixes are the same"
[ "$(prefixes "$C" | wc -l)" -ge 15 ]
ok $? "and there are prefixes to compare"
is "$(cat "$TMP/C/nador/records/cases/2024/NDR-2024-7K3QP.yaml")" \
    "$(cat "$TMP/fr/nador/records/cases/2024/NDR-2024-7K3QP.yaml")" \
    "the record written in French is the record written in C"

# (a) The tour speaks French: exact messages.
d=records/cases/2024
is "0::" "$(cat "$F/init.rc")::$(fr init)" "enas init nador: silent"
is "0:NDR-2024-7K3QP:" "$(cat "$F/new.rc"):$(cat "$F/new.out"):$(fr new)" \
    "enas new case: the id"
is "1" "$(cat "$F/newslip.rc")" "enas new case with mistakes: exit 1"
is "$d/NDR-2024-AAAAA.yaml:4:7: error: site: 'nadour' ne fait pas partie des valeurs : casablanca, marrakech, nador, oujda ; vouliez-vous dire nador ?
$d/NDR-2024-AAAAA.yaml:6:6: error: sex: 'garcon' ne fait pas partie des valeurs : male, female, unknown
$d/NDR-2024-AAAAA.yaml:7:6: error: age: 19 est supérieur à 17 (les ENAS sont mineurs : l'âge est de 0 à 17 ans à l'enregistrement)
$d/NDR-2024-AAAAA.yaml:11:9: error: status: 'oui' ne fait pas partie des valeurs : open, closed
$d/NDR-2024-AAAAA.yaml:29:1: error: name: champ non déclaré dans records/rules/case.yaml ; les noms et autres détails qui identifient un enfant ne sont jamais enregistrés : les fiches sont partagées avec tous les bureaux et restent pour toujours dans l'historique de git, elles ne contiennent donc que des faits codés
$d/NDR-2024-AAAAA.yaml:13:3: error: consent.reporting: champ obligatoire manquant (true seulement si l'enfant ou son tuteur a accepté les rapports anonymisés)
enas-new: rien n'est écrit" "$(fr newslip)" \
    "enas new case with mistakes: the diagnostics in French"
is "1" "$(cat "$F/newbad.rc")" "enas new -n with mistakes: exit 1"
is "$d/NDR-2024-EEEEE.yaml:5:6: error: age: 'oui' n'est pas un nombre entier (les ENAS sont mineurs : l'âge est de 0 à 17 ans à l'enregistrement)
$d/NDR-2024-EEEEE.yaml:8:14: error: consent.reporting: 'oui' n'est ni true ni false : un champ oui/non prend true pour oui, false pour non (true seulement si l'enfant ou son tuteur a accepté les rapports anonymisés)
$d/NDR-2024-EEEEE.yaml:1:1: error: partner: champ obligatoire manquant (identifiant de l'organisation qui enregistre l'enfant, un fichier de records/partners)
$d/NDR-2024-EEEEE.yaml:1:1: error: protection_status: champ obligatoire manquant
$d/NDR-2024-EEEEE.yaml:1:1: error: risk_level: champ obligatoire manquant
$d/NDR-2024-EEEEE.yaml:1:1: error: status: champ obligatoire manquant
enas-new: rien n'est écrit" "$(fr newbad)" \
    "enas new -n with mistakes: the diagnostics in French"
is "1:$d/NDR-2024-7K3QP.yaml:6:6: error: age: 19 est supérieur à 17 (les ENAS sont mineurs : l'âge est de 0 à 17 ans à l'enregistrement)
enas-edit: la fiche n'est pas modifiée" "$(cat "$F/edit19.rc"):$(fr edit19)" \
    "enas edit with a mistake: the diagnostic in French"
is "# Nouvelle fiche case.  Les lignes qui commencent par # et les champs
# laissés vides sont supprimés quand vous enregistrez et quittez.
id: NDR-2024-7K3QP

# Obligatoire.
# une date, AAAA-MM-JJ, pas après aujourd'hui -- date d'enregistrement,
#   AAAA-MM-JJ
registered: 2024-03-14
# au choix : casablanca, marrakech, nador, oujda
site: nador
# l'identifiant d'une fiche partner, au choix : alkaram, asticude, bayti,
#   cnclt, denmark_mfa, iom, omdh, orient_occident, pmp, unhcr --
#   identifiant de l'organisation qui enregistre l'enfant, un fichier de
#   records/partners
partner:
# au choix : male (garçon), female (fille), unknown (inconnu)
sex:
# un nombre entier, au moins 0, au plus 17 -- les ENAS sont mineurs : l'âge
#   est de 0 à 17 ans à l'enregistrement
age:
# code ISO, par ex. MA, GN, CI ; XX si la nationalité est inconnue
nationality:" "$(sed 22q "$TMP/fr/template")" \
    "enas new case: the template's guidance in French"
is "$(grep -v '^ *#' "$TMP/C/template")" "$(grep -v '^ *#' "$TMP/fr/template")" \
    "enas new case: the template's fields as in C"
is "0:" "$(cat "$F/editclose.rc"):$(fr editclose)" "enas edit: silent"
is "0:" "$(cat "$F/checkall.rc"):$(fr checkall)" "enas-check --all: silent"
checkfile="$d/NDR-2024-BBBBB.yaml:3:7: error: site: 'nadour' ne fait pas partie des valeurs : casablanca, marrakech, nador, oujda ; vouliez-vous dire nador ?
$d/NDR-2024-BBBBB.yaml:5:6: error: sex: 'F' ne fait pas partie des valeurs : male, female, unknown
$d/NDR-2024-BBBBB.yaml:12:14: error: consent.reporting: 'oui' n'est ni true ni false : un champ oui/non prend true pour oui, false pour non (true seulement si l'enfant ou son tuteur a accepté les rapports anonymisés)
$d/NDR-2024-BBBBB.yaml:13:1: error: name: champ non déclaré dans records/rules/case.yaml ; les noms et autres détails qui identifient un enfant ne sont jamais enregistrés : les fiches sont partagées avec tous les bureaux et restent pour toujours dans l'historique de git, elles ne contiennent donc que des faits codés"
is "1:$checkfile" "$(cat "$F/checkfile.rc"):$(fr checkfile)" \
    "enas-check FILE: the diagnostics in French"
is "1:$checkfile" "$(cat "$F/commit.rc"):$(fr commit)" \
    "git commit: the pre-commit hook says the same in French"
is "1:$d/NDR-2024-BBBBB.yaml:13:1: error: clé 'consent.tracing' : un point indique une imbrication ; écrivez 'tracing:' sur une ligne à part sous 'consent:', indentée de deux espaces" \
    "$(cat "$F/checkdot.rc"):$(fr checkdot)" \
    "a dotted key: what to write, in French"
is "usage : enas [-C rép] outil [arg ...]

Les outils :
  check   valider les fiches selon les règles
  edit    modifier une fiche dans votre éditeur, vérifiée et enregistrée
  id      identités des enfants, chiffrées pour leur bureau (age)
  init    créer ou mettre à niveau un dépôt de fiches
  log     l'historique d'une fiche, champ par champ
  ls      lister les fiches qui correspondent, ou un tableau de leurs champs
  merge   pilote de fusion de git : deux versions d'une fiche, champ par champ
  new     une nouvelle fiche avec un nouvel identifiant, vérifiée et enregistrée
  show    afficher une fiche, telle quelle ou telle qu'enregistrée
  stats   agréger les fiches en tableaux ordonnés
  sync    échanger avec le dépôt partagé : récupérer, rebaser, vérifier, pousser

enas help OUTIL ouvre le manuel d'un outil." "$(cat "$F/help.out")" \
    "enas help: the tools, in French"
is "2:enas: 'sho' n'est pas un outil ; vouliez-vous dire 'show' ?" \
    "$(cat "$F/sho.rc"):$(fr sho)" "enas sho: did you mean, in French"
is "enas-stats: 1 case sans consent.reporting: true laissé de côté" \
    "$(fr statspub)" "enas-stats --publish: what it left out, in French"
is "2:enas-stats: -g colour : 'colour' n'est pas un champ de case (records/rules/case.yaml)" \
    "$(cat "$F/statsbad.rc"):$(fr statsbad)" \
    "enas-stats: an unknown field, in French"
is "0:" "$(cat "$F/bare.rc"):$(fr bare)" "enas init --bare: silent"
is "0:" "$(cat "$F/init2.rc"):$(fr init2)" "enas init in a clone: silent"
is "0:synchronisé avec origin : 0 fiche reçue, 1 envoyée:" \
    "$(cat "$F/sync.rc"):$(cat "$F/sync.out"):$(fr sync)" \
    "enas sync: what it did, in French"
quiet=
for n in "$F"/*.err; do
	n=${n##*/}
	n=${n%.err}
	case " init new newslip newbad edit19 editclose checkall checkfile commit checkdot help sho statspub statsbad bare init2 sync " in
	*" $n "*) ;;
	*)	[ -s "$F/$n.err" ] && quiet="$quiet $n" ;;
	esac
done
is "" "$quiet" "the other steps print nothing on standard error"

# Arabic, where the system has ar_MA.UTF-8: the commonest diagnostics
# and the editor's template (the rest stays English).
ar=ar_MA.UTF-8
if locale -a 2>/dev/null | grep -qix 'ar_MA\.utf-\{0,1\}8'; then
	cd "$TMP/C/nador" || exit 2
	run env LANG=$ar LC_ALL=$ar enas new -n case id=NDR-2024-FFFFF \
	    registered=2024-03-16 sex=male age=15 nationality=GN \
	    consent.reporting=true
	is "1:$d/NDR-2024-FFFFF.yaml:1:1: error: protection_status: حقل إلزامي ناقص
enas-new: لم يُكتب أي شيء" "$rc:$(printf '%s\n' "$err" | grep 'protection_status\|^enas-new')" \
	    "in Arabic: a required field is missing, nothing written"
	printf '#!/bin/sh\nhead -2 "$1" >"%s"\n' "$TMP/template.ar" >"$TMP/arcopy"
	chmod +x "$TMP/arcopy"
	LANG=$ar LC_ALL=$ar EDITOR=$TMP/arcopy enas new case \
	    id=NDR-2024-FFFFF >/dev/null 2>&1
	is "# سجل case جديد.  الأسطر التي تبدأ بـ # والحقول الفارغة
# تُحذف عند الحفظ والخروج." "$(cat "$TMP/template.ar")" \
	    "in Arabic: the template's guidance"
else
	ok 0 "# skip no $ar locale (as root: sh tools/deps locales)"
	ok 0 "# skip no $ar locale"
fi

# The README's install, make && make install PREFIX=$HOME/.local: the
# installed tools find their catalogue whatever PREFIX the build was
# made with, ENAS_LOCALEDIR unset.  (From a copy of the build, so that
# what make may rebuild for this PREFIX stays out of the tests' build.)
mkdir "$TMP/build"
(cd "$ENAS_BUILD" && cp -a .deps enas enas-* cmd lib libenas.a locale \
    enas.pot "$TMP/build/")
make -s -C "$ENAS_SRC" BUILD="$TMP/build" PREFIX="$TMP/inst" install \
    >"$TMP/make.out" 2>&1
ok $? "make install PREFIX=DIR installs the catalogues"
[ -f "$TMP/inst/share/locale/fr/LC_MESSAGES/enas.mo" ]
ok $? "in DIR/share/locale/fr/LC_MESSAGES/enas.mo"
run env -u ENAS_LOCALEDIR LANG=$fr LC_ALL=$fr "$TMP/inst/bin/enas" sho
is "2:$(fr sho)" "$rc:$err" "the installed tools speak French"

# (c) The pseudo-locale: every line a person reads is translated.
is "0:" "$pseudo_rc:$(cat "$TMP/pseudo.err")" \
    "the pseudo-locale catalogue compiles (msgfmt -c)"

# The records repository of the pseudo-locale test, with the mistakes
# a person makes.
mkdir "$TMP/ps" && cd "$TMP/ps" && enas init r >/dev/null && cd r || exit 2
git config enas.office NDR
d=records/cases/2024
write_case $d/NDR-2024-SXP01.yaml NDR-2024-SXP01
git add -A && git commit -q -m 'case NDR-2024-SXP01: new'
sed -i 's/^status: open/status: closed/;
    $a closure:\n  date: 2024-11-02\n  reason: reunified' $d/NDR-2024-SXP01.yaml
git commit -q -a -m 'case NDR-2024-SXP01: status, closure'
sed -i 's/^site: nador/site: nadour/; s/^sex: male/sex: garcon/;
    s/^age: 15/age: 19/; s/^  reporting: true/  reporting: oui/;
    s/^registered: .*/registered: 2024-02-30/; $a name: Zzyzx' \
    $d/NDR-2024-SXP01.yaml
write_case $d/NDR-2024-DTT01.yaml NDR-2024-DTT01
printf 'consent.tracing: true\n' >>$d/NDR-2024-DTT01.yaml
write_case $d/NDR-2024-TAB01.yaml NDR-2024-TAB01
sed -i 's/^  services: true/\tservices: true/' $d/NDR-2024-TAB01.yaml
write_case $d/NDR-2024-NDT01.yaml NDR-2024-NDT01
printf '    outcome: placed\n' >>$d/NDR-2024-NDT01.yaml
printf 'id: [NDR-2024-BADYM\nsite: "nador\n' >$d/NDR-2024-BADYM.yaml

# unmarked FILE: the lines of FILE a person reads that carry no marker,
# with the lines that are not ours left out: glibc's getopt (in its own
# French), git's own (hint:, fatal:), and blank lines.
unmarked() {
	grep -v '[⟦⟧]' "$1" |
	    grep -Ev '^[^ ]+ ?: (unrecognized option|invalid option|option requires|option .* (requires|doesn.t allow) an argument|option non reconnue|option invalide|l.option )' |
	    grep -Ev '^(hint|fatal|astuce|warning|avertissement) ?:' |
	    grep -v '^[[:space:]]*$'
}
nlines=0
while IFS='|' read -r where streams cmd; do
	case $where in
	r)	cd "$TMP/ps/r" ;;
	t)	cd "$TMP" ;;
	esac
	LANG=$fr LC_ALL=$fr ENAS_LOCALEDIR=$TMP/pseudo EDITOR=true \
	    sh -c "$cmd" >"$TMP/ps.out" 2>"$TMP/ps.err" </dev/null
	: >"$TMP/ps.read"
	case $streams in
	*o*)	cat "$TMP/ps.out" >>"$TMP/ps.read" ;;
	esac
	cat "$TMP/ps.err" >>"$TMP/ps.read"
	n=$(grep -vc '^[[:space:]]*$' "$TMP/ps.read")
	nlines=$((nlines + n))
	unmarked "$TMP/ps.read" >"$TMP/ps.bad"
	if [ "$n" -gt 0 ] && ! [ -s "$TMP/ps.bad" ]; then
		ok 0 "pseudo-locale: $cmd: $n lines, each translated"
	else
		ok 1 "pseudo-locale: $cmd: $n lines, each translated"
		[ "$n" -gt 0 ] || echo "# nothing to read: a test of nothing" >&2
		sed 's/^/# untranslated: /' "$TMP/ps.bad" >&2
	fi
done <"$TMP/pseudo.cmds"
[ "$nlines" -ge "$ncmds" ]
ok $? "pseudo-locale: $nlines lines checked in all"

# The guidance of the editor: in the template of enas new and in the
# record enas edit opens, every comment (a run of # lines, wrapped) is
# translated.
cd "$TMP/ps/r" || exit 2
git stash -q -u
printf '#!/bin/sh\ncp "$1" "%s"\n' "$TMP/guidance" >"$TMP/copy"
chmod +x "$TMP/copy"
for cmd in "enas new case" "enas edit NDR-2024-SXP01"; do
	rm -f "$TMP/guidance"
	LANG=$fr LC_ALL=$fr ENAS_LOCALEDIR=$TMP/pseudo EDITOR=$TMP/copy \
	    $cmd >/dev/null 2>&1 </dev/null
	perl -e '
		local $/;
		my $rules = "";
		for my $f (glob "records/rules/*.yaml") {
			open my $fh, "<", $f or die;
			$rules .= <$fh>;
		}
		$rules =~ s/\s+/ /g;
		my $t = <STDIN>;
		my ($n, @bad) = (0);
		for my $b ($t =~ /((?:^ *#.*\n)+)/mg) {
			$n++;
			next if $b =~ /[⟦⟧]/;
			# commented-out YAML: an example to copy, not a text
			next unless grep { !/^ *# *(- +)?[a-z_.]+:( \S+)?$/ }
			    split /\n/, $b;
			# a rule of records/rules: its own text, in its
			# own languages
			(my $j = $b) =~ s/^ *# *//mg;
			$j =~ s/\s+/ /g;
			$j =~ s/^ | $//g;
			next if index($rules, $j) >= 0;
			push @bad, $b;
		}
		print @bad;
		print STDERR "$n\n";' <"$TMP/guidance" >"$TMP/ps.bad" 2>"$TMP/ps.n"
	n=$(cat "$TMP/ps.n")
	if [ "$n" -gt 0 ] && ! [ -s "$TMP/ps.bad" ]; then
		ok 0 "pseudo-locale: $cmd: $n comments, each translated"
	else
		ok 1 "pseudo-locale: $cmd: $n comments, each translated"
		sed 's/^/# untranslated: /' "$TMP/ps.bad" >&2
	fi
done

done_testing
