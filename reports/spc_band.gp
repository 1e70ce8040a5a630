# spc_band.gp: spend per period against its control band (src/analysis/spc.h):
# the band from the mean to the upper control limit of the preceding periods,
# the spend itself, and the periods that broke the limit marked in red; the
# period under review shaded.
# Run by src/report/chart.c as
#   gnuplot -c spc_band.gp DATA SVG FROM TO UNIT
#   DATA    rows  time  cost  mean  ucl  alert_cost   time as YYYY-MM-DDTHH:MM,
#           "?" where there is no band yet or no alert
#   SVG     the output file
#   FROM TO the shaded period, as YYYY-MM-DDTHH:MM (agentcost's own dates)
#   UNIT    day | hour: tick labels
set terminal svg size 880,400 noenhanced font "sans,11" background "#ffffff"
set output ARG2
set datafile missing "?"
set xdata time
set timefmt "%Y-%m-%dT%H:%M"
if (ARG5 eq "hour") { set format x "%m-%d\n%H:%M" } else { set format x "%a\n%m-%d"; set xtics strptime("%Y-%m-%dT%H:%M", ARG3) - 364*86400, 7*86400; set mxtics 7 }
set ylabel "spend (USD)"
set format y "$%g"
set yrange [0:*]
set grid ytics lc rgb "#e3e6ec"
set key outside bottom center horizontal maxrows 2 noenhanced samplen 2
set border 3 lc rgb "#5b6475"
set tics nomirror
set xrange [:strptime("%Y-%m-%dT%H:%M", ARG4)]
set object 1 rect from strptime("%Y-%m-%dT%H:%M", ARG3), graph 0 to strptime("%Y-%m-%dT%H:%M", ARG4), graph 1 behind fc rgb "#fff4d6" fs solid 1.0 noborder
plot ARG1 using 1:3:4 with filledcurves fc rgb "#dbe7f7" title "band (mean to UCL)", \
     '' using 1:4 with lines lc rgb "#7f9cc9" dt 2 lw 1.5 title "UCL", \
     '' using 1:3 with lines lc rgb "#9aa3b2" lw 1 title "mean", \
     '' using 1:2 with linespoints lc rgb "#1d2330" lw 2 pt 7 ps 0.45 title "spend", \
     '' using 1:5 with points lc rgb "#d1242f" pt 7 ps 1.3 title "alert"
