#pragma once

#include <json-glib/json-glib.h>

#include "saban-store.h"

G_BEGIN_DECLS

#define SABAN_IMPORT_MAX_BYTES  (32 * 1024 * 1024)
#define SABAN_IMPORT_MAX_ROWS   500000

/* One thing wrong with an uploaded file, for the person who sent it:
 * @message says what is wrong and @action what to do, both translated. */
typedef struct
{
  char  *file;      /* "definitions" or "values" */
  guint  row;       /* as a spreadsheet counts: the header is row 1; 0 = the whole file */
  char  *column;    /* NULL for the whole row or file */
  char  *code;      /* machine-readable: "unknown-commune", "not-a-number", … */
  char  *message;
  char  *action;
} SabanImportProblem;

/* What an import did, or why it did nothing. */
typedef struct
{
  GPtrArray *problems;         /* SabanImportProblem, at most SABAN_IMPORT_MAX_PROBLEMS kept */
  guint      n_problems;       /* all of them */
  guint      definitions_added;
  guint      definitions_changed;
  guint      values_written;
  guint      periods_replaced; /* (indicator, period) pairs that held values before */
} SabanImportReport;

#define SABAN_IMPORT_MAX_PROBLEMS 500

void       saban_import_report_init    (SabanImportReport *report);
void       saban_import_report_clear   (SabanImportReport *report);
JsonNode  *saban_import_report_to_json (const SabanImportReport *report);
char      *saban_import_report_to_text (const SabanImportReport *report);

gboolean   saban_indicator_import      (SabanStore        *store,
                                        const char        *definitions_path,
                                        const char        *values_path,
                                        const char        *actor,
                                        SabanImportReport *report,
                                        GError           **error);

G_END_DECLS
