#!/bin/sh
# Rules that carry translations (issue 12, item 1): a message in several
# languages, labels of enum values in the editor's guidance, in enas show
# --labels and in enas-stats -O table --labels, and the warning of a
# language left incomplete.  The rule texts do not come from gettext:
# the tools' own messages stay English here (no catalogue), only the
# texts of the rules follow LANG and LANGUAGE.
. "$(dirname "$0")/lib.sh"

# Arabic is asked through LANGUAGE, so the French locale is all it takes.
if ! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\{0,1\}8$'; then
	echo "1..0 # SKIP the fr_FR.UTF-8 locale is missing"
	exit 0
fi

plan 20

export ENAS_LOCALEDIR="$TMP/no-catalogue"
records_repo "$TMP/r"
cd "$TMP/r" || exit 2
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case "$f"
git add -A && git commit -q -m 'case NDR-2024-7K3QP'
rules=records/rules/case.yaml
cp "$rules" "$TMP/rules"

# fr CMD...: CMD in French, as a case worker in Nador runs it.
fr() { LC_ALL= LANG=fr_FR.UTF-8 LANGUAGE= "$@"; }

run enas-check --all
is "0::" "$rc:$out:$err" "the project's rules are complete: no warning"
run fr enas-check --all
is "0::" "$rc:$out:$err" "nor in French"

# The message of a rule in the reader's language.
sed -i 's/^age: 15/age: 19/' "$f"
run enas-check "$f"
is "1:$f:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$rc:$err" "the C locale: the English message"
run fr enas-check "$f"
is "1:$f:7:6: error: age: 19 is above 17 (les ENAS sont mineurs : l'âge est de 0 à 17 ans à l'enregistrement)" \
    "$rc:$err" "LANG=fr_FR.UTF-8: the French message"
run env LC_ALL= LANG=fr_FR.UTF-8 LANGUAGE=ar:fr enas-check "$f"
is "1:$f:7:6: error: age: 19 is above 17 (الأطفال غير المصحوبين والمنفصلون عن ذويهم قاصرون: العمر من 0 إلى 17 سنة عند التسجيل)" \
    "$rc:$err" "LANGUAGE=ar:fr: the first language listed"
run env LC_ALL= LANG=fr_FR.UTF-8 LANGUAGE=de:fr enas-check "$f"
is "1:$f:7:6: error: age: 19 is above 17 (les ENAS sont mineurs : l'âge est de 0 à 17 ans à l'enregistrement)" \
    "$rc:$err" "LANGUAGE=de:fr: a language the rules lack is passed over"
run env LC_ALL=C LANGUAGE=fr enas-check "$f"
is "1:$f:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$rc:$err" "in the C locale LANGUAGE is ignored, as gettext does"
git checkout -q "$f"

# enas show --labels: each code followed by what it means.
run fr enas show --labels NDR-2024-7K3QP
is "0:id: NDR-2024-7K3QP
registered: 2024-03-14
site: nador
partner: asticude
source: outreach  # travail de proximité
sex: male  # garçon
age: 15
age_estimated: true
nationality: GN
protection_status: unaccompanied  # non accompagné
concerns: [trafficked_smuggled, street_child]  # victime de traite ou de trafic de migrants; enfant en situation de rue
risk_level: high  # élevé
status: open  # ouvert
consent:
  given_by: child  # l'enfant
  services: true
  share_with_orgs: true
  reporting: true
  tracing: false
care: residential_care  # établissement de protection sociale
referrals:
  - date: 2024-03-15
    to: bayti
    service: safehouse  # hébergement sécurisé
    status: accepted  # acceptée
follow_ups:
  - date: 2024-04-02
    type: in_care  # suivi pendant la prise en charge:" "$rc:$out:$err" \
    "enas show --labels in French: the codes, their labels as comments"
run env LC_ALL= LANG=fr_FR.UTF-8 LANGUAGE=ar enas show --labels NDR-2024-7K3QP
is "sex: male  # ذكر" "$(printf '%s\n' "$out" | grep '^sex:')" \
    "and in Arabic"
run enas show --labels NDR-2024-7K3QP
is "0:$(cat "$f"):" "$rc:$out:$err" "in the C locale: the record as it is"

# enas-stats -O table --labels: labels as headings; tsv never changes.
run fr enas-stats case -g sex,risk_level -O table --labels
is "0:sex     élevé  total
garçon      1      1
total       1      1:" "$rc:$out:$err" "the table's headings are the labels, aligned"
run fr enas-stats case -g concerns -O table --labels
is "0:concerns                                    count
enfant en situation de rue                      1
victime de traite ou de trafic de migrants      1
total                                           2:" "$rc:$out:$err" \
    "a long table of a list field"
run fr enas-stats case -g sex -O tsv --labels
is "0:sex	count
male	1:" "$rc:$out:$err" "tsv keeps the codes"
run enas-stats case -g sex,risk_level -O table --labels
is "0:sex    high  total
male      1      1
total     1      1:" "$rc:$out:$err" "in the C locale, the codes"

# The editor's guidance: the allowed codes, each with its label.
git config enas.office NDR
run fr env EDITOR="sh -c 'cat \"\$1\" >\"$TMP/template\"' --" enas new case
is "# one of: male (garçon), female (fille), unknown (inconnu)" \
    "$(grep -F 'male (' "$TMP/template")" "the template shows the labels"

# A language used in a rules file must be complete: a warning, not a
# failure, at the labels that lack a value and at the message.
line=$(awk '/^  fr:/ { fr = 1 } fr && /^    sex:/ { print NR + 1; exit }' "$rules")
sed -i "$((line + 3))d" "$rules"
age=$(awk '/^  fr:/ { fr = 1 } fr && /^    age:/ { print NR; exit }' "$rules")
sed -i "$((age + 1))d; ${age}s/\$/ {}/" "$rules"
run enas-check --all
is "0:$rules:$line:7: warning: sex: no fr label for 'unknown'
$rules:23:23: warning: age: no fr message" "$rc:$err" \
    "an incomplete language: the missing label and message, with file, line and column"

# A label of a value that is not in the enum is a rules error.
cp "$TMP/rules" "$rules"
sed -i "$((line + 1))s/^        male: garçon/        boy: garçon/" "$rules"
run enas-check --all
is "2:$rules:$((line + 1)):9: error: sex: labels: fr: 'boy' is not a value of the enum" \
    "$rc:$err" "a label of an unknown value is refused"

# A field may carry its texts itself: a message mapping needs en.
cp "$TMP/rules" "$rules"
sed -i "s/^                      message: 'ENAS are minors: age is 0 to 17 at registration'}/                      message: {es: 'menores'}}/" "$rules"
run enas-check --all
is "2:$rules:23:23: error: age: message: there is no en text, the one shown when no other language fits" \
    "$rc:$err" "a message mapping without en is refused"
cp "$TMP/rules" "$rules"
sed -i "s/^                      message: 'ENAS are minors: age is 0 to 17 at registration'}/                      message: {en: 'minors', fr: 'mineurs'}}/" "$rules"
run enas-check --all
is "2:$rules:$(grep -n '^    age:$' "$rules" | head -1 | cut -d: -f1 | awk '{print $1 + 1}'):7: error: age: message: fr is given twice" \
    "$rc:$err" "a language given twice is refused"
cp "$TMP/rules" "$rules"
sed -i "s/^  sex:               {required: true, enum: \[male, female, unknown\]}/  sex: {enum: [male, female, unknown], labels: {en: {male: boy}, fr: {male: garçon}}}/" "$rules"
run enas-check --all
is "2:$rules:$line:7: error: sex: labels: fr is given twice" \
    "$rc:$err" "labels given in the field and in translations: refused"
