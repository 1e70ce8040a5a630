# histogram.gp: how many tasks fall in each cost bin, bins of equal width on a
# log cost axis (five per decade), stacked by task type.
# Run by src/report/chart.c as
#   gnuplot -c histogram.gp DATA SVG BLOCKS
#   DATA    one block per task type, blocks separated by two blank lines; each
#           starts with a header line  "label" "lo" "hi" "y0" "y1"  (the label
#           reduced to a safe character set), then one row per non-empty bin
#           bin_lo  bin_hi  stack_bottom  stack_top   (tasks)
#   SVG     the output file
#   BLOCKS  the number of blocks
set terminal svg size 880,400 noenhanced font "sans,11" background "#ffffff"
set output ARG2
set logscale x
set format x "$%g"
set xlabel "cost per task (USD, log scale; 5 bins per decade)"
set ylabel "tasks"
set yrange [0:*]
set grid ytics lc rgb "#e3e6ec"
set key outside right top vertical Left reverse noenhanced samplen 2
set border 3 lc rgb "#5b6475"
set tics nomirror
set style fill solid 0.85 border lc rgb "#ffffff"
N = ARG3 + 0
set linetype 1 lc rgb "#1f77b4" lw 1
set linetype 2 lc rgb "#d62728" lw 1
set linetype 3 lc rgb "#2ca02c" lw 1
set linetype 4 lc rgb "#ff7f0e" lw 1
set linetype 5 lc rgb "#9467bd" lw 1
set linetype 6 lc rgb "#8c564b" lw 1
set linetype 7 lc rgb "#e377c2" lw 1
set linetype 8 lc rgb "#7f7f7f" lw 1
set linetype 9 lc rgb "#bcbd22" lw 1
set linetype 10 lc rgb "#17becf" lw 1
set linetype 11 lc rgb "#393b79" lw 1
set linetype 12 lc rgb "#ad494a" lw 1
set linetype cycle 12
plot for [i=0:N-1] ARG1 index i using (sqrt($1*$2)):4:1:2:3:4 with boxxyerror title columnheader(1)
