/* cli.h - the database commands of the cnrs command line (engine/cmd_db.c):
 * batch, rank --db, show, history, review, export, merge. main.c only
 * dispatches to them; like main.c, these functions print and choose exit
 * statuses, the engine below them never does.
 *
 * Each takes the arguments after the command word. Exit statuses are
 * main.c's: 0 success; 1 nothing matched (show, history, review: no such
 * company, report or review); 2 usage; 3 rubric; 10 + cnrs_status for the
 * first input that failed in a batch (all others are still processed);
 * 10 + CNRS_ERR_DB = 25 for a database that is not a cnrs database, has a
 * newer schema, or fails (locked past the busy timeout, disk full ...);
 * 130 for a batch interrupted by Ctrl-C (the same command resumes it).
 */
#ifndef CNRS_CLI_H
#define CNRS_CLI_H

enum {
    CNRS_EXIT_OK = 0,
    CNRS_EXIT_NOMATCH = 1,
    CNRS_EXIT_USAGE = 2,
    CNRS_EXIT_RUBRIC = 3,
    CNRS_EXIT_INPUT_BASE = 10,
    CNRS_EXIT_INTERRUPTED = 130 /* batch stopped by Ctrl-C (128 + SIGINT, as shells report) */
};

/* Shared option parsing (cli.c): if argv[*i] is option `name`, written
 * "--name VALUE" or "--name=VALUE", advance *i past it and return 1 with
 * *val set to the value, or -1 when the value is missing (*val untouched,
 * *i past the option alone); otherwise return 0 and leave *i. */
int cnrs_cli_option(int argc, char **argv, int *i, const char *name, const char **val);

/* A command's arguments, read in one pass: options may come before or after
 * operands, and "--" ends the options (what follows is an operand even when
 * it starts with '-'). "-" alone is an operand (standard input). Usage
 * errors are printed ("cnrs CMD: ...") and set `bad`; the caller exits 2.
 *
 *   cnrs_cli c;
 *   cnrs_cli_init(&c, "show", argc, argv);
 *   while (c.i < c.argc)
 *       if (!cnrs_cli_value(&c, "--db", &db) && !cnrs_cli_flag(&c, "--quiet", &q))
 *           cnrs_cli_other(&c);
 *   ... c.pos[0 .. c.npos-1] are the operands; cnrs_cli_free(&c).
 */
typedef struct cnrs_cli {
    const char *cmd; /* for messages */
    int argc;
    char **argv;
    int i;           /* the argument being read */
    int bad;         /* a usage error was printed */
    char **pos;      /* operands, in order (owned: cnrs_cli_free) */
    int npos;
} cnrs_cli;

void cnrs_cli_init(cnrs_cli *c, const char *cmd, int argc, char **argv);
void cnrs_cli_free(cnrs_cli *c);

/* argv[i] is option `name` with a value: store it in *val, advance, return
 * 1 (a missing value is a usage error); else return 0. */
int cnrs_cli_value(cnrs_cli *c, const char *name, const char **val);

/* argv[i] is the flag `name`: set *flag to 1, advance, return 1; else 0. */
int cnrs_cli_flag(cnrs_cli *c, const char *name, int *flag);

/* argv[i] is none of the command's options: an operand, "--" (all the rest
 * are operands), or an unknown option (usage error). Advances. */
void cnrs_cli_other(cnrs_cli *c);

/* `s`, the value of option `what`, as a whole number in [lo, hi]. Anything
 * else (empty, "abc", "0x", "-1" below lo, trailing text) is a usage error:
 * message printed, `bad` set, -1 returned. */
long cnrs_cli_number(cnrs_cli *c, const char *what, const char *s, long lo, long hi);

struct cnrs_rubric;
/* The rubric at `path`, or the built-in one when NULL (caller frees with
 * cnrs_rubric_free). When it does not load, every problem is printed to
 * stderr ("FILE:LINE: message") and NULL is returned: exit CNRS_EXIT_RUBRIC. */
struct cnrs_rubric *cnrs_cli_rubric(const char *path);

struct cnrs_ingest_opts;
/* The value of --ocr (auto, never, always) into io->ocr; anything else
 * prints a usage message and returns 0. */
int cnrs_cli_ocr(const char *val, struct cnrs_ingest_opts *io);

/* When stderr is a terminal, give io an OCR progress line ("OCR FILE: page
 * 3/12, 1.4 s/page") drawn in place on stderr and cleared when a document's
 * OCR ends; otherwise leave io alone. Safe from several threads. */
void cnrs_cli_ocr_progress(struct cnrs_ingest_opts *io);

int cnrs_cmd_batch(int argc, char **argv);
int cnrs_cmd_rank_db(int argc, char **argv);
int cnrs_cmd_show(int argc, char **argv);
/* gaps --db FILE --company C [--year Y]: the gap report of a stored score. */
int cnrs_cmd_gaps_db(int argc, char **argv);
int cnrs_cmd_history(int argc, char **argv);
int cnrs_cmd_review(int argc, char **argv);
int cnrs_cmd_export(int argc, char **argv);
int cnrs_cmd_merge(int argc, char **argv);
int cnrs_cmd_report(int argc, char **argv); /* the static site: cmd_report.c, site.h */

/* 1 when the arguments hold --db or --db=FILE (so `rank` reads a database). */
int cnrs_cli_has_db(int argc, char **argv);

#endif
