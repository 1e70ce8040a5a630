# ccdf.gp: complementary CDF of the cost per task, one line per task type, on
# log-log axes: a fat (power-law) tail shows as a straight, slowly falling line.
# Run by src/report/chart.c as
#   gnuplot -c ccdf.gp DATA SVG BLOCKS
#   DATA    one block per task type, blocks separated by two blank lines; each
#           starts with a header line  "label" "ccdf"  (the label from the traces,
#           reduced to a safe character set by ac_plot_label), then rows
#           cost  share_of_tasks_costing_at_least_that_much
#   SVG     the output file
#   BLOCKS  the number of blocks
# File names and numbers are the only arguments; labels come in as data.
set terminal svg size 880,420 noenhanced font "sans,11" background "#ffffff"
set output ARG2
set datafile missing "?"
set logscale xy
set format x "$%g"
set format y "%g"
set xlabel "cost per task (USD, log scale)"
set ylabel "share of tasks costing at least x"
set grid xtics ytics lc rgb "#e3e6ec"
set key outside right top vertical Left reverse noenhanced samplen 2
set border 3 lc rgb "#5b6475"
set tics nomirror
N = ARG3 + 0
set linetype 1 lc rgb "#1f77b4" lw 1.6
set linetype 2 lc rgb "#d62728" lw 1.6
set linetype 3 lc rgb "#2ca02c" lw 1.6
set linetype 4 lc rgb "#ff7f0e" lw 1.6
set linetype 5 lc rgb "#9467bd" lw 1.6
set linetype 6 lc rgb "#8c564b" lw 1.6
set linetype 7 lc rgb "#e377c2" lw 1.6
set linetype 8 lc rgb "#7f7f7f" lw 1.6
set linetype 9 lc rgb "#bcbd22" lw 1.6
set linetype 10 lc rgb "#17becf" lw 1.6
set linetype 11 lc rgb "#393b79" lw 1.6
set linetype 12 lc rgb "#ad494a" lw 1.6
set linetype cycle 12
plot for [i=0:N-1] ARG1 index i using 1:2 with fsteps title columnheader(1)
