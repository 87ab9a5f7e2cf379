#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SABAN_TYPE_REPORT_TEMPLATE (saban_report_template_get_type ())
G_DECLARE_FINAL_TYPE (SabanReportTemplate, saban_report_template, SABAN, REPORT_TEMPLATE, GObject)

SabanReportTemplate *saban_report_template_new_from_file (const char           *path,
                                                          GError              **error);
SabanReportTemplate *saban_report_template_new_default   (GError              **error);
const char          *saban_report_template_get           (SabanReportTemplate  *self,
                                                          const char           *section,
                                                          const char           *key);
gboolean             saban_report_template_has           (SabanReportTemplate  *self,
                                                          const char           *section,
                                                          const char           *key);
char                *saban_report_template_expand        (SabanReportTemplate  *self,
                                                          const char           *section,
                                                          const char           *key,
                                                          const char *const    *vars);
char               **saban_report_template_get_list      (SabanReportTemplate  *self,
                                                          const char           *section,
                                                          const char           *key);
int                  saban_report_template_get_int       (SabanReportTemplate  *self,
                                                          const char           *section,
                                                          const char           *key,
                                                          int                   fallback);
char                *saban_report_template_format_number (SabanReportTemplate  *self,
                                                          double                value,
                                                          int                   decimals);
void                 saban_report_template_set_common    (SabanReportTemplate  *self,
                                                          const char           *name,
                                                          const char           *value);

G_END_DECLS
