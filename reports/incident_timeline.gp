# incident_timeline.gp: spend per minute or hour of an incident window against
# the same minutes (hours) of the previous 7 days: their range shaded, their
# mean dashed, the window's own spend on top.
# Run by src/report/chart.c as
#   gnuplot -c incident_timeline.gp DATA SVG UNIT
#   DATA    rows  time  spend  baseline_mean  baseline_min  baseline_max
#           time as YYYY-MM-DDTHH:MM (agentcost's own)
#   SVG     the output file
#   UNIT    minute | hour: tick labels
set terminal svg size 880,400 noenhanced font "sans,11" background "#ffffff"
set output ARG2
set datafile missing "?"
set xdata time
set timefmt "%Y-%m-%dT%H:%M"
if (ARG3 eq "minute") { set format x "%H:%M" } else { set format x "%m-%d\n%H:%M" }
set ylabel "spend (USD)"
set format y "$%g"
set yrange [0:*]
set grid ytics lc rgb "#e3e6ec"
set key outside bottom center horizontal maxrows 2 noenhanced samplen 2
set border 3 lc rgb "#5b6475"
set tics nomirror
plot ARG1 using 1:4:5 with filledcurves fc rgb "#e4e7ee" title "range, same time on the previous 7 days", \
     '' using 1:3 with lines lc rgb "#5b6475" dt 2 lw 1.5 title "mean of the previous 7 days", \
     '' using 1:2 with lines lc rgb "#d1242f" lw 2 title "this window"
