# numcmp.awk: two text files alike but for numbers equal to 1e-9 relative
# (or to one unit of the last printed place, where a rounded print of two
# sums added in other orders falls either side of a half). Prints the first
# difference and exits 1; exits 0 when alike.
#   awk -v A=FILE_A -v B=FILE_B -f tests/clickhouse/numcmp.awk
function skel(s) { gsub(/-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/, "#", s); return s }
function nums(s, arr,   n) { n = 0
  while (match(s, /-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
    arr[++n] = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH) }
  return n }
function ulp(t,   d) { if (t ~ /[eE]/ || t !~ /\./) return 0
  d = t; sub(/^[^.]*\./, "", d); return 10 ^ -length(d) }
BEGIN {
  while ((getline a < A) > 0) {
    if ((getline b < B) <= 0) { print "B ends early"; exit 1 }
    line++
    if (a == b) continue
    if (skel(a) != skel(b)) { print "line " line ": " a " | " b; exit 1 }
    na = nums(a, xa); nb = nums(b, xb)
    for (i = 1; i <= na; i++) {
      x = xa[i] + 0; y = xb[i] + 0; d = x - y; if (d < 0) d = -d
      m = (x < 0 ? -x : x); if ((y < 0 ? -y : y) > m) m = (y < 0 ? -y : y)
      u = ulp(xa[i]); if (ulp(xb[i]) > u) u = ulp(xb[i])
      if (d > 1e-9 * m && d > u * 1.000001) { print "line " line ": " xa[i] " vs " xb[i]; exit 1 }
    }
  }
  if ((getline b < B) > 0) { print "A ends early"; exit 1 }
}
