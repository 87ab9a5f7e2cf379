#pragma once

#include "saban-report-data.h"
#include "saban-report-template.h"

G_BEGIN_DECLS

/* A table cell: its text as printed and, for a figure, the number behind it
 * (NAN otherwise), which the spreadsheet keeps as a number. */
typedef struct
{
  char   *text;
  double  number;
} SabanReportCell;

typedef struct
{
  char      *sheet;      /* the spreadsheet's sheet for it */
  GStrv      headers;
  GArray    *widths;     /* double, relative */
  GPtrArray *rows;       /* GPtrArray of SabanReportCell * */
  GArray    *group_rows; /* gboolean per row: a heading row (a sector) */
} SabanReportTable;

typedef enum
{
  SABAN_REPORT_BLOCK_HEADING,
  SABAN_REPORT_BLOCK_PARAGRAPH,
  SABAN_REPORT_BLOCK_ITEM,      /* a line of a list, hanging */
  SABAN_REPORT_BLOCK_NOTE,      /* a source line, small and italic */
  SABAN_REPORT_BLOCK_TABLE,
  SABAN_REPORT_BLOCK_MAP,
} SabanReportBlockKind;

/* A choropleth of one indicator by commune for one period. */
typedef struct
{
  guint               indicator;
  SabanPeriod         period;
  guint               n_classes;
  SabanClassifyMethod method;
  char               *caption;
} SabanReportMap;

typedef struct
{
  SabanReportBlockKind  kind;
  char                 *text;
  SabanReportTable     *table;
  SabanReportMap        map;
} SabanReportBlock;

/* The report laid out as the office's template says, before it is printed. */
typedef struct
{
  char      *authority;
  char      *number;
  char      *nation;
  char      *motto;
  char      *date;
  char      *title;
  char      *subtitle;
  char      *recipients_title;
  GStrv      recipients;
  char      *signer;
  char      *period;     /* "tháng 11 năm 2026" */
  GPtrArray *blocks;     /* SabanReportBlock */
} SabanReportDocument;

SabanReportDocument *saban_report_document_build      (SabanReportData      *data,
                                                       SabanReportTemplate  *tpl,
                                                       const GDate          *from,
                                                       const GDate          *to,
                                                       gint64                now_us);
void                 saban_report_document_free       (SabanReportDocument  *doc);
gboolean             saban_report_document_write_pdf  (SabanReportDocument  *doc,
                                                       SabanReportData      *data,
                                                       SabanReportTemplate  *tpl,
                                                       const char           *path,
                                                       GError              **error);
gboolean             saban_report_document_write_xlsx (SabanReportDocument  *doc,
                                                       const char           *path,
                                                       GError              **error);
gboolean             saban_report_write_files         (SabanReportData      *data,
                                                       SabanReportTemplate  *tpl,
                                                       const GDate          *from,
                                                       const GDate          *to,
                                                       const char           *pdf,
                                                       const char           *xlsx,
                                                       char                **period,
                                                       GError              **error);
char                *saban_report_format_value        (SabanReportTemplate  *tpl,
                                                       double                value,
                                                       const char           *unit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanReportDocument, saban_report_document_free)

G_END_DECLS
