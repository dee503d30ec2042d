#!/usr/bin/perl
# tests/attack.pl K: try to recover the withheld cells of a table of
# one or two groups that enas-stats -O table printed (on stdin) with
# -k K.
#
# The attacker knows every shown cell and total; that a cell shown as
# <K is 1 to K-1, and a cell shown as x is K or more; that a total
# shown as <K is 1 to K-1; that a cell the table leaves out is 0.  It
# enumerates every table that fits (depth-first, pruning on each row,
# column and grand total), and for each withheld cell collects the
# values it takes.  A cell that takes one value only is recovered.
#
# Prints one line per withheld cell; exits 1 when any was recovered,
# 0 when none was, 2 on bad input.
use strict;
use warnings;

my $k = shift // die "usage: attack.pl K <table\n";
my (%cell, %rowt, %colt, $grand, %rows, %cols);
my $head = <STDIN>;
while (my $line = <STDIN>) {
	my @f = split ' ', $line;
	unshift @f, $f[0] eq 'total' ? 'total' : 'all' if @f == 2;
	@f == 3 or die "attack.pl: not a table of one or two groups: $line";
	my ($r, $c, $v) = @f;
	if ($r eq 'total' && $c eq 'total') { $grand = $v; }
	elsif ($c eq 'total') { $rowt{$r} = $v; }
	elsif ($r eq 'total') { $colt{$c} = $v; }
	else { $cell{"$r\t$c"} = $v; $rows{$r} = 1; $cols{$c} = 1; }
}
my @rows = sort keys %rows;
my @cols = sort keys %cols;

# Bounds of a figure as printed: [lo, hi], hi -1 for no bound.
sub bounds {
	my ($v) = @_;
	return (undef, undef) unless defined $v;
	return (1, $k - 1) if $v eq "<$k";
	return ($k, -1) if $v eq 'x';
	return ($v, $v);
}

# Lines: the cells they hold and the bounds of their total.
my @lines;
for my $r (@rows) {
	my @lo = bounds($rowt{$r});
	push @lines, [[map { "$r\t$_" } @cols], @lo] if defined $lo[0];
}
for my $c (@cols) {
	my @lo = bounds($colt{$c});
	push @lines, [[map { "$_\t$c" } @rows], @lo] if defined $lo[0];
}
{
	my @lo = bounds($grand);
	push @lines, [[map { my $r = $_; map { "$r\t$_" } @cols } @rows],
	    @lo] if defined $lo[0];
}

my (@vars, %lo, %hi, %val);
for my $r (@rows) {
	for my $c (@cols) {
		my $key = "$r\t$c";
		my $v = $cell{$key} // 0;
		my ($l, $h) = bounds($v);
		if ($l == $h) { $val{$key} = $l; next; }
		push @vars, $key;
		$lo{$key} = $l;
		$hi{$key} = $h;
	}
}
# An upper bound for "K or more": the smallest line that holds it.
for my $x (@vars) {
	next if $hi{$x} >= 0;
	my $best = 1e9;
	for my $ln (@lines) {
		next unless grep { $_ eq $x } @{$ln->[0]};
		$best = $ln->[2] if $ln->[2] >= 0 && $ln->[2] < $best;
	}
	$hi{$x} = $best;
}

my %seen;
my $done = 0;
sub feasible {
	for my $ln (@lines) {
		my ($cells, $tlo, $thi) = @$ln;
		my ($min, $max) = (0, 0);
		for my $c (@$cells) {
			if (exists $val{$c}) { $min += $val{$c}; $max += $val{$c}; }
			else { $min += $lo{$c}; $max += $hi{$c}; }
		}
		return 0 if $min > ($thi < 0 ? 1e18 : $thi) || $max < $tlo;
	}
	return 1;
}
sub search {
	my ($i) = @_;
	return if $done;
	if ($i == @vars) {
		$seen{$_}{$val{$_}} = 1 for @vars;
		$done = !grep { keys %{$seen{$_}} < 2 } @vars;
		return;
	}
	my $x = $vars[$i];
	for my $v ($lo{$x} .. $hi{$x}) {
		$val{$x} = $v;
		search($i + 1) if feasible();
		delete $val{$x};
		return if $done;
	}
}
search(0) if feasible();

my $recovered = 0;
for my $x (@vars) {
	my @v = sort { $a <=> $b } keys %{$seen{$x} // {}};
	(my $name = $x) =~ s/\t/ /;
	die "attack.pl: no table fits what is printed\n" unless @v;
	if (@v == 1) {
		print "recovered $name = $v[0]\n";
		$recovered++;
	} else {
		print "hidden $name: could be $v[0] or $v[1]\n";
	}
}
exit($recovered ? 1 : 0);
