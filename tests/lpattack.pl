#!/usr/bin/perl
# tests/lpattack.pl K SPEC: attack published tables as tau-ARGUS and
# sdcTable audit them, with linear programs (glpsol, GLPK's solver).
#
# SPEC is a file:
#
#	dim NAME VALUE...		a dimension of the atoms, its values
#	map NAME FROM TO		(optional) a value's image, e.g. a
#					month's quarter: map quarter 2024-01 2024Q1
#	pub FILE COL...			a table printed with --totals (TSV with
#					a header); each COL says what its
#					column is: DIM, or DIM@MAP (the image
#					of DIM through map MAP), or - to skip
#	fix FILE DIM VALUE		every figure of FILE counts only atoms
#					with DIM = VALUE (a -w filter)
#
# The atoms are every combination of the dimensions' values, whole and
# never negative: a reader knows no more than the structure.  Each
# printed figure is a constraint: a number exactly, "<K" 1 to K-1, "x"
# K or more; "total" in a column sums over it.  A combination of the
# columns' values that a table does not print is 0 (the tools print
# only what they counted).
#
# For each withheld figure, and each atom and each count of the form
# "a figure's atoms with DIM = v" (the unpublished cells: a month inside
# a quarter, the closed cases between all and open), the minimum and
# maximum over the whole solutions.  Prints one line per finding:
#
#	determined FILE ROW = V		a withheld figure with one value
#	pinned COUNT in [LO, HI]	a count that must be 1 to K-1
#
# Exit 1 with findings, 0 without, 2 on bad input.
use strict;
use warnings;

my ($k, $spec) = @ARGV;
die "usage: lpattack.pl K SPEC\n" unless defined $spec;
my (%dom, @dims, %map, @pubs, %fix);
open my $sf, '<', $spec or die "lpattack.pl: $spec: $!\n";
while (<$sf>) {
	chomp;
	my @w = split ' ';
	next unless @w;
	if ($w[0] eq 'dim') {
		shift @w;
		my $n = shift @w;
		push @dims, $n;
		$dom{$n} = [@w];
	} elsif ($w[0] eq 'map') {
		$map{$w[1]}{$w[2]} = $w[3];
	} elsif ($w[0] eq 'pub') {
		shift @w;
		my $f = shift @w;
		push @pubs, [$f, [@w]];
	} elsif ($w[0] eq 'fix') {
		push @{$fix{$w[1]}}, [$w[2], $w[3]];
	} else {
		die "lpattack.pl: $spec: $_\n";
	}
}
close $sf;

# Every atom: a hash of dim => value.
my @atoms = ({});
for my $d (@dims) {
	@atoms = map { my $a = $_; map { { %$a, $d => $_ } } @{$dom{$d}} }
	    @atoms;
}
my $na = @atoms;

# Constraints: [ [atom indices], lo, hi (undef: none), label ].
my (@cons, @withheld);
for my $p (@pubs) {
	my ($file, $cols) = @$p;
	my %printed;
	open my $fh, '<', $file or die "lpattack.pl: $file: $!\n";
	my $head = <$fh>;
	while (my $line = <$fh>) {
		chomp $line;
		my @f = split /\t/, $line, -1;
		@f == @$cols + 1 or die "lpattack.pl: $file: $line\n";
		my $fig = pop @f;
		my @in;
		ATOM: for my $i (0 .. $na - 1) {
			my $a = $atoms[$i];
			for my $fx (@{$fix{$file} // []}) {
				next ATOM if $a->{$fx->[0]} ne $fx->[1];
			}
			for my $c (0 .. $#f) {
				my $col = $cols->[$c];
				next if $col eq '-' || $f[$c] eq 'total';
				my ($d, $m) = split /@/, $col;
				my $v = $a->{$d};
				$v = $map{$m}{$v} // '' if defined $m;
				next ATOM if $v ne $f[$c];
			}
			push @in, $i;
		}
		my ($lo, $hi);
		if ($fig eq "<$k") { ($lo, $hi) = (1, $k - 1); }
		elsif ($fig eq 'x') { ($lo, $hi) = ($k, undef); }
		elsif ($fig =~ /^\d+$/) { ($lo, $hi) = ($fig, $fig); }
		else { die "lpattack.pl: $file: figure $fig\n"; }
		my $label = "$file " . join(' ', @f);
		push @cons, [\@in, $lo, $hi, $label];
		push @withheld, $#cons if $fig !~ /^\d+$/;
		$printed{join("\t", @f)} = 1 unless grep { $_ eq 'total' } @f;
	}
	close $fh;
	# A row the table does not print counts nothing, and a reader
	# knows it: each absent combination of its columns' values is 0.
	next if grep { $_ eq '-' } @$cols;
	my %absent;
	ATOM: for my $i (0 .. $na - 1) {
		my $a = $atoms[$i];
		for my $fx (@{$fix{$file} // []}) {
			next ATOM if $a->{$fx->[0]} ne $fx->[1];
		}
		my @key = map {
			my ($d, $m) = split /@/;
			defined $m ? $map{$m}{$a->{$d}} // '' : $a->{$d};
		} @$cols;
		my $key = join("\t", @key);
		push @{$absent{$key}}, $i unless $printed{$key};
	}
	push @cons, [$absent{$_}, 0, 0, "$file $_ (not printed)"]
	    for sort keys %absent;
}

my $tmp = $ENV{TMPDIR} // '/tmp';
my $lp = "$tmp/lpattack.$$.lp";
my $out = "$tmp/lpattack.$$.out";

# The whole-solution bound of sum(atoms) in direction dir: a number,
# or 'inf' when unbounded.
sub bound {
	my ($atoms, $dir) = @_;
	open my $fh, '>', $lp or die "lpattack.pl: $lp: $!\n";
	print $fh ($dir eq 'max' ? "Maximize\n" : "Minimize\n");
	print $fh " obj: ", (@$atoms ? join(' + ', map { "x$_" } @$atoms) :
	    "0 x0"), "\nSubject To\n";
	my $n = 0;
	for my $c (@cons) {
		my ($in, $lo, $hi) = @$c;
		next unless @$in;
		my $sum = join(' + ', map { "x$_" } @$in);
		if (defined $hi && $lo == $hi) {
			print $fh " c$n: $sum = $lo\n";
		} else {
			print $fh " c${n}a: $sum >= $lo\n";
			print $fh " c${n}b: $sum <= $hi\n" if defined $hi;
		}
		$n++;
	}
	print $fh "General\n", join(' ', map { "x$_" } 0 .. $na - 1), "\nEnd\n";
	close $fh;
	system("glpsol --lp $lp -o $out >/dev/null 2>&1");
	open my $o, '<', $out or return 'inf';
	my $v;
	while (<$o>) {
		return 'inf' if /UNBOUNDED/;
		$v = $1 if /^Objective:\s+obj = (-?[\d.e+]+)/;
	}
	close $o;
	return defined $v ? int($v + ($v < 0 ? -0.5 : 0.5)) : 'inf';
}

my $found = 0;
for my $w (@withheld) {
	my ($in, $lo, $hi, $label) = @{$cons[$w]};
	my $mn = bound($in, 'min');
	my $mx = bound($in, 'max');
	if ($mx ne 'inf' && $mn == $mx) {
		print "determined $label = $mn\n";
		$found++;
	}
}
# The unpublished counts: each atom, and each figure's atoms split by
# the value of each dimension.
my %seen;
my @counts = map { [[$_], 'atom ' . join(',', map { "$_=$atoms[$_[0]]{$_}" }
    @dims)] } ();
for my $i (0 .. $na - 1) {
	push @counts, [[$i], 'atom ' . join(',', map { "$_=$atoms[$i]{$_}" }
	    @dims)];
}
for my $c (@cons) {
	for my $d (@dims) {
		for my $v (@{$dom{$d}}) {
			my @sub = grep { $atoms[$_]{$d} eq $v } @{$c->[0]};
			next unless @sub && @sub < @{$c->[0]};
			push @counts, [\@sub, "$c->[3] with $d=$v"];
		}
	}
}
for my $c (@counts) {
	my ($in, $label) = @$c;
	my $key = join(',', sort { $a <=> $b } @$in);
	next if $seen{$key}++;
	my $mn = bound($in, 'min');
	next if $mn eq 'inf' || $mn < 1 || $mn >= $k;
	my $mx = bound($in, 'max');
	next if $mx eq 'inf' || $mx >= $k;
	# Pinned inside 1..K-1.  A figure printed <K says as much already.
	my $printed = grep { join(',', sort { $a <=> $b } @{$_->[0]}) eq $key &&
	    defined $_->[2] && $_->[1] == 1 && $_->[2] == $k - 1 } @cons;
	next if $printed && $mn < $mx;
	print "pinned $label in [$mn, $mx]\n";
	$found++;
}
unlink $lp, $out;
exit($found ? 1 : 0);
