/*
 * tests/unit/rules.c: the rules (lib/rules.c) and the checks of one
 * record against them (lib/validate.c), in-process, with exact
 * diagnostics: a rules file's own mistakes, bounds by number, by date
 * and by another field, enums and their suggestions, conditions that
 * name undeclared fields, messages in several languages, and the
 * incomplete-language warning.  The C locale: messages in English.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enas.h"
#include "record.h"
#include "rules.h"

#include "tap.h"

/* Every diagnostic, one line each, as the tools print them. */
static struct enas_buf out = ENAS_BUF_INIT;

static void
collect(void *ctx, const struct enas_diag *d)
{
	char line[1024];

	(void)ctx;
	enas_diag_format(line, sizeof(line), d);
	if (enas_buf_printf(&out, "%s%s", out.len ? "\n" : "", line) < 0)
		abort();
}

static const char *
diags(void)
{
	return out.len ? out.data : "";
}

/* Load rules text; the rules (NULL when refused), diagnostics in out. */
static struct enas_rules *
load(const char *text)
{
	struct enas_rules *r = NULL;

	out.len = 0;
	if (enas_rules_load(&r, text, strlen(text), "rules/t.yaml", collect,
	    NULL) < 0)
		return NULL;
	return r;
}

/* Check a record against r; its diagnostics in out. */
static int
check(const struct enas_rules *r, const char *text)
{
	struct enas_record *rec = NULL;
	int n;

	out.len = 0;
	if (enas_record_parse(&rec, text, strlen(text), "t/x.yaml", 0,
	    collect, NULL) < 0)
		return -1;
	n = enas_rules_check(r, rec, collect, NULL);
	enas_record_free(rec);
	return n;
}

static const char base[] =
    "kind: thing\n"
    "dir: things\n"
    "path: '{id}.yaml'\n"
    "id: 'T-[0-9]{3}'\n"
    "fields:\n"
    "  id:      {required: true}\n"
    "  opened:  {required: true, type: date, max: today}\n"
    "  closed:  {type: date, min: opened}\n"
    "  size:    {type: int, min: 1, max: 9,\n"
    "            message: 'from 1 to 9'}\n"
    "  colour:  {enum: [red, green, blue]}\n"
    "  status:  {required: true, enum: [open, shut]}\n"
    "  reason:  {required_if: 'status=shut'}\n";

int
main(void)
{
	struct enas_rules *r;
	int n;

	r = load(base);
	ok(r != NULL, "a sound rules file loads");
	is("", diags(), "with nothing to say");
	if (!r)
		return tap_done();

	n = check(r, "id: T-001\nopened: 2024-01-02\nstatus: open\n");
	ok(n == 0, "a record that keeps the rules: no error");
	is("", diags(), "and no diagnostic");

	n = check(r, "id: T-001\nopened: 2024-01-02\nstatus: open\n"
	    "size: 12\n");
	ok(n == 1, "a number above its maximum: one error");
	is("t/x.yaml:4:7: error: size: 12 is above 9 (from 1 to 9)", diags(),
	    "named with the bound and the rule's message");

	n = check(r, "id: T-001\nopened: 2024-01-02\nstatus: open\n"
	    "size: 0\n");
	is("t/x.yaml:4:7: error: size: 0 is below 1 (from 1 to 9)", diags(),
	    "below its minimum");

	n = check(r, "id: T-001\nopened: 2024-01-02\nstatus: open\n"
	    "closed: 2023-12-31\n");
	ok(n == 1, "a date before the field it must follow: one error");
	is("t/x.yaml:4:9: error: closed: 2023-12-31 is before opened "
	    "(2024-01-02)", diags(), "naming that field and its date");

	n = check(r, "id: T-001\nopened: 2024-01-02\nstatus: open\n"
	    "colour: gren\n");
	ok(n == 1, "a value outside the enum: one error");
	is("t/x.yaml:4:9: error: colour: 'gren' is not one of: red, green, "
	    "blue; did you mean green?", diags(),
	    "the allowed values, and the one it was probably meant to be");

	n = check(r, "id: T-001\nopened: 2024-01-02\nstatus: shut\n");
	ok(n == 1, "a condition that holds and a field it requires missing");
	is("t/x.yaml:1:1: error: reason: required field is missing "
	    "(required when status=shut)", diags(),
	    "the field, as missing, and the condition that requires it");

	n = check(r, "id: X-1\nopened: 2024-01-02\nstatus: open\n");
	is("t/x.yaml:1:5: error: id: 'X-1' is not a thing id (T-[0-9]{3})",
	    diags(), "an id outside the kind's pattern is refused");
	enas_rules_free(r);

	/* The rules' own mistakes, at their line and column. */
	r = load("kind: thing\ndir: things\npath: '{id}.yaml'\n"
	    "id: 'T-[0-9]{3}'\nfields:\n"
	    "  id: {required: true}\n"
	    "  status: {enum: [open, shut]}\n"
	    "  reason: {required_if: 'stauts=shut'}\n");
	ok(r == NULL, "a condition on an undeclared field refuses the rules");
	is("rules/t.yaml:8:26: error: reason: required_if: 'stauts=shut': "
	    "column 1: 'stauts' is not a field of thing (did you mean "
	    "status?)", diags(), "at its line, naming the field");
	enas_rules_free(r);

	r = load("kind: thing\ndir: things\npath: '{id}.yaml'\n"
	    "id: 'T-[0-9]{3}'\nfields:\n"
	    "  id: {required: true}\n"
	    "  size: {type: int, min: 9, max: 1}\n");
	ok(r == NULL, "a minimum above the maximum refuses the rules");
	is("rules/t.yaml:7:3: error: size: min is above max: no value can "
	    "keep both", diags(), "saying why");
	enas_rules_free(r);

	/* Messages in several languages; English is required. */
	r = load("kind: thing\ndir: things\npath: '{id}.yaml'\n"
	    "id: 'T-[0-9]{3}'\nfields:\n"
	    "  id: {required: true}\n"
	    "  size: {type: int, max: 9, message: {fr: 'de 1 à 9'}}\n");
	ok(r == NULL, "a message mapping without en refuses the rules");
	is("rules/t.yaml:7:29: error: size: message: there is no en text, the "
	    "one shown when no other language fits", diags(), "saying why");
	enas_rules_free(r);

	r = load("kind: thing\ndir: things\npath: '{id}.yaml'\n"
	    "id: 'T-[0-9]{3}'\nfields:\n"
	    "  id: {required: true}\n"
	    "  size: {type: int, max: 9,\n"
	    "         message: {en: 'from 1 to 9', fr: 'de 1 à 9'}}\n"
	    "  colour: {enum: [red, green],\n"
	    "           labels: {fr: {red: rouge}}}\n");
	ok(r != NULL, "messages and labels in several languages load");
	if (r) {
		n = check(r, "id: T-001\nsize: 10\n");
		is("t/x.yaml:2:7: error: size: 10 is above 9 (from 1 to 9)",
		    diags(), "in the C locale, the English message");
		out.len = 0;
		enas_rules_lint(r, collect, NULL);
		is("rules/t.yaml:10:21: warning: colour: no fr label for "
		    "'green'", diags(),
		    "a language with a value left out is a warning");
		ok(enas_rules_label(enas_rules_field(r, "colour"), "red") ==
		    NULL, "and in the C locale no label is shown");
	}
	enas_rules_free(r);

	r = load("kind: thing\ndir: things\npath: '{id}.yaml'\n"
	    "id: 'T-[0-9]{3}'\nfields:\n"
	    "  id: {required: true}\n"
	    "  colour: {enum: [red], labels: {fr: {blue: bleu}}}\n");
	ok(r == NULL, "a label for a value outside the enum refuses the rules");
	is("rules/t.yaml:7:39: error: colour: labels: fr: 'blue' is not a "
	    "value of the enum", diags(), "naming it");
	enas_rules_free(r);

	enas_buf_free(&out);
	return tap_done();
}
