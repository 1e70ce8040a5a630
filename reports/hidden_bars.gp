# hidden_bars.gp: the share of spend that went to retries, context
# summarization and evaluation runs, previous week beside this week.
# Run by src/report/chart.c as
#   gnuplot -c hidden_bars.gp DATA SVG
#   DATA    a header line  "purpose" "previous week" "this week"  then one row
#           per purpose:  "name"  previous_share_%  this_share_%
#           (purpose names are agentcost's own: retry, summarize, eval)
#   SVG     the output file
set terminal svg size 720,360 noenhanced font "sans,11" background "#ffffff"
set output ARG2
set key autotitle columnheader
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border lc rgb "#ffffff"
set boxwidth 0.9
set yrange [0:*]
set ylabel "share of all spend (%)"
set grid ytics lc rgb "#e3e6ec"
set key top right noenhanced
set border 3 lc rgb "#5b6475"
set tics nomirror
set xtics scale 0
set offsets 0, 0, graph 0.12, 0
plot ARG1 using 2:xtic(1) title columnheader(2) lc rgb "#9bb5d9", \
     '' using 3 title columnheader(3) lc rgb "#1f5fbf", \
     '' using ($0 - 1.0/6):2:(sprintf("%.1f%%", $2)) with labels offset 0,0.8 font ",10" notitle, \
     '' using ($0 + 1.0/6):3:(sprintf("%.1f%%", $3)) with labels offset 0,0.8 font ",10" notitle
