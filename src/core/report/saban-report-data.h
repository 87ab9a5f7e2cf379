#pragma once

#include <json-glib/json-glib.h>

#include "saban-indicator-set.h"

G_BEGIN_DECLS

/* Where a report's figures come from; each is read at its own time. */
typedef enum
{
  SABAN_REPORT_INDICATORS,
  SABAN_REPORT_COMMUNES,
  SABAN_REPORT_SCENARIOS,
  SABAN_REPORT_TASKS,
  SABAN_REPORT_SITREPS,
  SABAN_REPORT_ALERTS,
  SABAN_REPORT_REQUESTS,
  SABAN_REPORT_N_SOURCES,
} SabanReportSource;

typedef struct
{
  gint64  id;
  char   *title;
  char   *playbook;
  char   *status;
  char   *severity;
  gint64  created_us;
  gint64  activated_us;   /* 0 = never */
  gint64  closed_us;      /* 0 = not closed */
} SabanReportScenario;

typedef struct
{
  gint64  id;
  gint64  scenario_id;
  char   *title;
  char   *status;
  char   *outcome;        /* NULL when none */
  gint64  due_us;         /* 0 = no deadline */
  gint64  finished_us;
} SabanReportTask;

typedef struct
{
  gint64 scenario_id;
  gint64 created_us;
  double affected;        /* casualties.affected, or casualties as a number; NAN when neither */
} SabanReportSitrep;

typedef struct
{
  char   *event;
  char   *severity;
  char   *headline;
  char   *area;
  gint64  sent_us;
} SabanReportAlert;

typedef struct
{
  char   *id;
  char   *service_code;
  char   *service_name;
  char   *group;          /* the service's group (sector), or NULL */
  char   *status;         /* open, closed */
  gint64  requested_us;
  gint64  updated_us;
  gint64  expected_us;    /* 0 = none given */
  double  lon, lat;       /* NAN when not placed */
} SabanReportRequest;

/* A commune's boundary in lon/lat: rings of (lon, lat) pairs, holes by nesting. */
typedef struct
{
  char      *code;
  char      *name;
  GPtrArray *rings;       /* GArray of double */
  double     bbox[4];     /* min lon, min lat, max lon, max lat */
} SabanReportArea;

#define SABAN_TYPE_REPORT_DATA (saban_report_data_get_type ())
G_DECLARE_FINAL_TYPE (SabanReportData, saban_report_data, SABAN, REPORT_DATA, GObject)

SabanReportData   *saban_report_data_new            (const char        *server_url);
const char        *saban_report_data_get_server_url (SabanReportData   *self);
void               saban_report_data_set_indicators (SabanReportData   *self,
                                                     SabanIndicatorSet *indicators);
SabanIndicatorSet *saban_report_data_get_indicators (SabanReportData   *self);
gboolean           saban_report_data_read           (SabanReportData   *self,
                                                     SabanReportSource  source,
                                                     JsonNode          *answer,
                                                     GError           **error);
gboolean           saban_report_data_read_services  (SabanReportData   *self,
                                                     JsonNode          *services,
                                                     GError           **error);
void               saban_report_data_set_taken_at   (SabanReportData   *self,
                                                     SabanReportSource  source,
                                                     gint64             time_us);
gint64             saban_report_data_get_taken_at   (SabanReportData   *self,
                                                     SabanReportSource  source);
GArray            *saban_report_data_get_scenarios  (SabanReportData   *self);
GArray            *saban_report_data_get_tasks      (SabanReportData   *self);
GArray            *saban_report_data_get_sitreps    (SabanReportData   *self);
GArray            *saban_report_data_get_alerts     (SabanReportData   *self);
GArray            *saban_report_data_get_requests   (SabanReportData   *self);
GArray            *saban_report_data_get_areas      (SabanReportData   *self);
int                saban_report_data_area_at        (SabanReportData   *self,
                                                     double             lon,
                                                     double             lat);

G_END_DECLS
