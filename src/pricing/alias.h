/*
 * Model alias import (internal to src/pricing): the "alias,model" CSV kind of
 * ac_prices_import() (pricing.h), written to table model_alias
 * (schema/006_model_alias.sql).
 */
#ifndef AC_PRICING_ALIAS_H
#define AC_PRICING_ALIAS_H

#include <stddef.h>

#include <sqlite3.h>

#include "../util/csvrec.h"
#include "pricing.h"

/*
 * Import the records of cs from record `first` (the header, already known to
 * start with "alias") into model_alias: the header must be exactly
 * alias,model; each alias the file names is replaced, in one savepoint.
 * Bad rows (empty cell, a cell a spreadsheet would run as a formula, an
 * alias naming itself, extra cells, a repeated alias) are skipped and
 * reported through warn with their line. path names the file in messages,
 * source is stored with each row. Sets st->rows and st->names to the number
 * of aliases written and st->skipped. Returns 0, AC_EFORMAT (bad header, no
 * valid row: nothing changes), AC_ENOMEM or AC_ESQL.
 */
int ac_alias_import_csv(sqlite3 *db, const ac_csv_doc *cs, size_t first, const char *path,
                        const char *source, ac_import_stats *st, ac_warn_fn warn, void *payload,
                        ac_err *err);

#endif
