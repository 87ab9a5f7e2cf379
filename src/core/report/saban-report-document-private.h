#pragma once

#include "saban-report-document.h"

G_BEGIN_DECLS

/* What the sections of a report are built with. */
typedef struct
{
  SabanReportDocument *doc;
  SabanReportData     *data;
  SabanReportTemplate *tpl;
  GDate                from;
  GDate                to;
  gint64               from_us;    /* the first day's start, Vietnam time */
  gint64               to_us;      /* the last day's end */
  gint64               now_us;     /* when the report is made */
  GPtrArray           *direction;  /* char *: matters for the leaders, gathered by the sections */
} SabanReportBuilder;

void              saban_report_builder_add        (SabanReportBuilder *b,
                                                   SabanReportBlockKind kind,
                                                   char               *text);
void              saban_report_builder_add_text   (SabanReportBuilder *b,
                                                   SabanReportBlockKind kind,
                                                   const char         *section,
                                                   const char         *key,
                                                   const char *const  *vars);
void              saban_report_builder_add_source (SabanReportBuilder *b,
                                                   const char         *section,
                                                   SabanReportSource   source);
SabanReportTable *saban_report_builder_add_table  (SabanReportBuilder *b,
                                                   const char         *section,
                                                   const char         *columns_key,
                                                   const char         *sheet_key,
                                                   const double       *widths);
char             *saban_report_builder_time       (SabanReportBuilder *b,
                                                   gint64              time_us);
void              saban_report_builder_today      (SabanReportBuilder *b,
                                                   GDate              *today);
char             *saban_report_builder_period     (SabanReportBuilder *b,
                                                   const SabanPeriod  *period);
char             *saban_report_builder_number     (SabanReportBuilder *b,
                                                   double              value,
                                                   int                 decimals);
char             *saban_report_builder_ratio      (SabanReportBuilder *b,
                                                   double              part,
                                                   double              whole);
GPtrArray        *saban_report_table_add_row      (SabanReportTable   *table,
                                                   gboolean            group);
void              saban_report_row_add_text       (GPtrArray          *row,
                                                   const char         *text);
void              saban_report_row_add_number     (GPtrArray          *row,
                                                   char               *text,
                                                   double              number);

void              saban_report_build_indicators   (SabanReportBuilder *b);
void              saban_report_build_maps         (SabanReportBuilder *b);
void              saban_report_build_emergencies  (SabanReportBuilder *b);
void              saban_report_build_alarms       (SabanReportBuilder *b);
void              saban_report_build_feedback     (SabanReportBuilder *b);

G_END_DECLS
