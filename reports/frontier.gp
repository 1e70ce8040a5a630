# frontier.gp: the cost-accuracy frontier of each class of work (task type x
# complexity), one small panel per class: for each model no other model beats
# on both cost and accuracy, what the class's calls would have cost on it
# relative to the model serving most of them now (x, log scale; 1 = now) and
# its accuracy on the class with the 95% interval; the current model circled.
# Run by src/report/chart.c as
#   gnuplot -c frontier.gp DATA SVG BLOCKS
#   DATA    one block per class, blocks separated by two blank lines; each
#           starts with a header line  "label" "acc" "lo" "hi" "model" "cur"
#           then rows  relative_cost  accuracy_%  lo_%  hi_%  "model"  current(0|1)
#           (the class label and model names reduced to a safe character set)
#   SVG     the output file
#   BLOCKS  the number of blocks
N = ARG3 + 0
COLS = (N < 3 ? N : 3)
ROWS = int((N + COLS - 1) / COLS)
set terminal svg size 960, (250 * ROWS + 20) noenhanced font "sans,10" background "#ffffff"
set output ARG2
set datafile missing "?"
set key autotitle columnheader
set logscale x
set format x "%gx"
set xrange [0.02:50]
set yrange [*:100]
set format y "%g%%"
set grid xtics ytics lc rgb "#e3e6ec"
set key top left Left reverse noenhanced samplen 0 nobox
set border 3 lc rgb "#5b6475"
set tics nomirror
set offsets 0, 0, 0, 3
set linetype 1 lc rgb "#1f5fbf" lw 1.6 pt 7 ps 0.6
set multiplot layout ROWS, COLS margins 0.06, 0.98, 0.06, 0.98 spacing 0.06, 0.09
do for [i=0:N-1] {
  plot ARG1 index i using 1:2:3:4 with yerrorlines lt 1 title columnheader(1), \
       '' index i using 1:($6 > 0 ? $2 : 1/0) with points lc rgb "#d1242f" pt 6 ps 1.8 notitle, \
       '' index i using 1:2:5 with labels left offset 0.7,-0.6 font ",8" tc rgb "#5b6475" notitle
}
unset multiplot
