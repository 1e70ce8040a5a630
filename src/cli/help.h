/*
 * The CLI's help: one table (help.c) of every command with its usage, its
 * options and examples, from which `agentcost help`, `agentcost CMD --help`,
 * the man page (man/agentcost.1) and the bash completion
 * (completion/agentcost.bash) are all printed (git's builtin help idea).
 */
#ifndef AC_CLI_HELP_H
#define AC_CLI_HELP_H

#include <stdio.h>

/* The overview, in three parts so main.c can list its own dispatch table
 * between them: head (usage forms), one line per command, tail (common
 * options, exit status, where to read more). */
void help_overview_head(FILE *fp);
void help_overview_command(FILE *fp, const char *name);
void help_overview_tail(FILE *fp);

/* 1 when argv[0..argc) (the arguments after the command name) asks for help:
 * a "--help" or "-h" before any "--" that is not the value of an option. */
int help_wanted(const char *cmd, int argc, char **argv);

/* Print the help of command `cmd` to fp; EXIT_OK, or EXIT_USAGE after an
 * error naming an unknown command. */
int help_command(const char *cmd, FILE *fp);

/* `agentcost help ARG...` (argv[0] is "help", argc >= 2): a command's help,
 * or (hidden, for the build and the tests) --man, --bash-completion,
 * --commands, --options CMD|common. */
int help_main(int argc, char **argv);

#endif
