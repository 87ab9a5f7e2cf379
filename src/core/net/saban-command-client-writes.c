/* saban-command-client-writes.c: the writes — scenarios, status changes,
 * tasks (by hand or from a playbook's checklist), assignments, progress,
 * sitreps, any merge patch, records such as acknowledgements. Each is
 * shown at once in the store as pending, then handed to the worker that
 * stores it in the outbox; a write to an item the server has not created
 * yet refers to its creation's key.
 */
#include "saban-command-client-private.h"
#include "saban-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <math.h>

#include "saban-command-labels.h"
#include "saban-command-schema.h"
#include "saban-error.h"

static void
enqueue (SabanCommandClient *self, const char *key, const char *method, const char *path, JsonNode *body,
         gint64 based_on)
{
  Job *job = saban_command_client_job_new (self, JOB_ENQUEUE);

  job->key = g_strdup (key);
  job->method = g_strdup (method);
  job->path = g_strdup (path);
  job->body = json_to_string (body, FALSE);
  job->if_match = based_on > 0 ? g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", based_on) : NULL;
  saban_command_client_push (self, job);
  /* a flush queued before this write would not send it */
  self->flush_queued = FALSE;
  saban_command_client_flush_outbox (self, NULL);
}

/* how the outbox names @item: its id, or its creation's */
static char *
item_ref (SabanCommandItem *item)
{
  if (saban_command_item_get_id (item) > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, saban_command_item_get_id (item));
  return saban_outbox_reference (saban_command_item_get_local_key (item));
}

static JsonNode *
feature_body (JsonObject *props, JsonNode *geometry, gboolean creation)
{
  JsonObject *f = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (creation)
    {
      json_object_set_string_member (f, "type", "Feature");
      json_object_set_member (f, "geometry", geometry ? json_node_copy (geometry) : json_node_new (JSON_NODE_NULL));
    }
  else if (geometry != NULL)
    json_object_set_member (f, "geometry", json_node_copy (geometry));
  json_object_set_object_member (f, "properties", json_object_ref (props));
  json_node_take_object (node, f);
  return node;
}

static void
copy_members (JsonObject *to, JsonObject *from)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *v;

  json_object_iter_init (&iter, from);
  while (json_object_iter_next (&iter, &name, &v))
    json_object_set_member (to, name, json_node_copy (v));
}

static gboolean
check_item (SabanCommandItem *item, SabanCommandCollection want, GError **error)
{
  if (item == NULL || saban_command_item_get_collection (item) != want)
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE,
                   want == SABAN_COMMAND_SCENARIOS ? _("This is not a scenario")
                   : want == SABAN_COMMAND_TASKS ? _("This is not a task") : _("This is not a playbook"));
      return FALSE;
    }
  return TRUE;
}

/* a creation: shown at once, then stored and sent */
static SabanCommandItem *
create (SabanCommandClient *self, SabanCommandCollection collection, JsonObject *props, JsonNode *geometry,
        SabanCommandItem *scenario)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *path = g_strdup_printf ("/collections/%s/items", saban_command_collection_to_string (collection));
  g_autoptr(JsonObject) sent = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  copy_members (sent, props);
  if (scenario != NULL)
    {
      g_autofree char *ref = item_ref (scenario);

      json_object_set_int_member (props, "scenarioId", saban_command_item_get_id (scenario));
      if (saban_command_item_get_id (scenario) > 0)
        json_object_set_int_member (sent, "scenarioId", saban_command_item_get_id (scenario));
      else
        json_object_set_string_member (sent, "scenarioId", ref);
    }
  /* shown as the server will make it; not sent (the server decides) */
  if (collection == SABAN_COMMAND_SCENARIOS || collection == SABAN_COMMAND_TASKS)
    json_object_set_string_member (props, "status", saban_command_schema_get_initial_state (
                                     saban_command_collection_to_string (collection)));
  body = feature_body (sent, geometry, TRUE);
  enqueue (self, key, "POST", path, body, 0);
  return saban_command_store_add_local (self->store, collection, key, props, geometry);
}

/* Why @item cannot go to @requested, naming the state it is in. */
char *
saban_command_client_transition_refusal (SabanCommandItem *item, const char *current, const char *requested)
{
  SabanCommandCollection collection = saban_command_item_get_collection (item);
  const char *title = saban_command_item_get_title (item);
  const char *to = saban_command_label_status (collection, requested);
  const char *now = saban_command_label_status (collection, current);

  if (collection == SABAN_COMMAND_SCENARIOS)
    /* TRANSLATORS: a scenario's title, the status asked for, the status it is in */
    return g_strdup_printf (_("Scenario “%s” cannot be moved to %s: the scenario is %s"), title, to, now);
  /* TRANSLATORS: a task's title, the status asked for, the status it is in */
  return g_strdup_printf (_("Task “%s” cannot be moved to %s: the task is %s"), title, to, now);
}

/* A status the schema does not let @item go to (from where the user sees
 * it, with their own pending changes) is refused here, as the server would. */
static gboolean
check_transition (SabanCommandItem *item, JsonObject *props, GError **error)
{
  const char *collection = saban_command_collection_to_string (saban_command_item_get_collection (item));
  const char *current = saban_command_item_get_status (item);
  const char *requested = saban_json_get_string (props, "status", 4096);
  g_autofree char *text = NULL;

  if (requested == NULL || g_strcmp0 (requested, current) == 0 ||
      saban_command_schema_allows (collection, current, requested))
    return TRUE;
  text = saban_command_client_transition_refusal (item, current, requested);
  g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_INVALID, text);
  return FALSE;
}

/**
 * saban_command_client_update:
 * @item: a scenario or a task (the others cannot change)
 * @properties: (transfer none): the properties to change (a JSON merge
 *   patch: null removes one)
 * @geometry: (nullable): a new geometry, or NULL to keep it
 *
 * The general change; the functions below are its common cases. Based on
 * the version the user sees (with their own pending changes), so a change
 * someone else made meanwhile becomes a conflict, never an overwrite.
 */
gboolean
saban_command_client_update (SabanCommandClient *self, SabanCommandItem *item, JsonObject *props,
                             JsonNode *geometry, GError **error)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *ref = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;
  SabanCommandCollection collection;
  gint64 based_on;

  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), FALSE);
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (item), FALSE);

  collection = saban_command_item_get_collection (item);
  if (collection != SABAN_COMMAND_SCENARIOS && collection != SABAN_COMMAND_TASKS)
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("Only scenarios and tasks can be changed"));
      return FALSE;
    }
  if (!check_transition (item, props, error))
    return FALSE;
  ref = item_ref (item);
  path = g_strdup_printf ("/collections/%s/items/%s", saban_command_collection_to_string (collection), ref);
  based_on = saban_command_store_next_version (self->store, item);
  body = feature_body (props, geometry, FALSE);
  enqueue (self, key, "PATCH", path, body, based_on);
  saban_command_store_add_patch (self->store, collection, saban_command_item_get_id (item), key, based_on, props,
                                 geometry);
  return TRUE;
}

/**
 * saban_command_client_set_status:
 * @item: a scenario (activate, suspend, close, cancel) or a task (accept,
 *   start, pause, complete, fail, cancel)
 * @status: the new status, e.g. "active"
 */
gboolean
saban_command_client_set_status (SabanCommandClient *self, SabanCommandItem *item, const char *status,
                                 GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();

  g_return_val_if_fail (status != NULL, FALSE);
  json_object_set_string_member (props, "status", status);
  return saban_command_client_update (self, item, props, NULL, error);
}

/**
 * saban_command_client_assign_task:
 * @type: e.g. "unit", "agency", "person"
 *
 * Sets the assignee; a pending task becomes assigned.
 */
gboolean
saban_command_client_assign_task (SabanCommandClient *self, SabanCommandItem *task, const char *type,
                                  const char *id, const char *name, GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();
  JsonObject *assignee = json_object_new ();

  if (!check_item (task, SABAN_COMMAND_TASKS, error))
    {
      json_object_unref (assignee);
      return FALSE;
    }
  json_object_set_string_member (assignee, "type", type);
  json_object_set_string_member (assignee, "id", id);
  json_object_set_string_member (assignee, "name", name);
  json_object_set_object_member (props, "assignee", assignee);
  if (g_strcmp0 (saban_command_item_get_status (task), "pending") == 0)
    json_object_set_string_member (props, "status", "assigned");
  return saban_command_client_update (self, task, props, NULL, error);
}

/**
 * saban_command_client_set_progress:
 * @progress: 0–100
 */
gboolean
saban_command_client_set_progress (SabanCommandClient *self, SabanCommandItem *task, int progress, GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();

  if (!check_item (task, SABAN_COMMAND_TASKS, error))
    return FALSE;
  json_object_set_int_member (props, "progress", CLAMP (progress, 0, 100));
  return saban_command_client_update (self, task, props, NULL, error);
}

/**
 * saban_command_client_create_scenario:
 * @playbook: (nullable): the playbook it follows (its code, category and
 *   kind are copied)
 * @title: the scenario's title
 * @area: (nullable): a Polygon, MultiPolygon or Point
 * @extra: (nullable): more properties (description, severity, commander…)
 *
 * Returns: (transfer none): the new scenario (draft), local until the
 *   server has it
 */
SabanCommandItem *
saban_command_client_create_scenario (SabanCommandClient *self, SabanCommandItem *playbook, const char *title,
                                      JsonNode *area, JsonObject *extra, GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();

  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), NULL);

  if (title == NULL || *title == '\0')
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("A scenario needs a title"));
      return NULL;
    }
  if (playbook != NULL && !check_item (playbook, SABAN_COMMAND_PLAYBOOKS, error))
    return NULL;
  json_object_set_string_member (props, "title", title);
  if (playbook != NULL)
    {
      json_object_set_string_member (props, "playbook", saban_command_item_get_string (playbook, "code"));
      if (saban_command_item_get_string (playbook, "category") != NULL)
        json_object_set_string_member (props, "category", saban_command_item_get_string (playbook, "category"));
    }
  if (extra != NULL)
    copy_members (props, extra);
  return create (self, SABAN_COMMAND_SCENARIOS, props, area, NULL);
}

static gboolean
check_open_scenario (SabanCommandItem *scenario, GError **error)
{
  const char *status;

  if (!check_item (scenario, SABAN_COMMAND_SCENARIOS, error))
    return FALSE;
  status = saban_command_item_get_status (scenario);
  if (saban_command_schema_is_terminal ("scenarios", status))
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("This scenario is already closed"));
      return FALSE;
    }
  return TRUE;
}

static void
set_due (JsonObject *props, GDateTime *due)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (due);
  g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

  json_object_set_string_member (props, "dueAt", text);
}

/**
 * saban_command_client_create_task:
 * @scenario: the scenario it is part of (may itself be local still)
 * @spec: what the task says
 *
 * Returns: (transfer none) (nullable): the new task (pending), local until
 *   the server has it
 */
SabanCommandItem *
saban_command_client_create_task (SabanCommandClient *self, SabanCommandItem *scenario, const SabanTaskSpec *spec,
                                  GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();
  g_autoptr(JsonNode) point = NULL;

  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!check_open_scenario (scenario, error))
    return NULL;
  if (spec->title == NULL || *spec->title == '\0')
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("A task needs a title"));
      return NULL;
    }
  json_object_set_string_member (props, "title", spec->title);
  if (spec->instructions != NULL)
    json_object_set_string_member (props, "instructions", spec->instructions);
  if (spec->kind != NULL)
    json_object_set_string_member (props, "kind", spec->kind);
  if (spec->priority >= 0)
    json_object_set_int_member (props, "priority", spec->priority);
  if (spec->assignee_id != NULL)
    {
      JsonObject *assignee = json_object_new ();

      json_object_set_string_member (assignee, "type", spec->assignee_type ? spec->assignee_type : "unit");
      json_object_set_string_member (assignee, "id", spec->assignee_id);
      json_object_set_string_member (assignee, "name", spec->assignee_name ? spec->assignee_name : spec->assignee_id);
      json_object_set_object_member (props, "assignee", assignee);
    }
  if (spec->due_at != NULL)
    set_due (props, spec->due_at);
  if (!isnan (spec->lon) && !isnan (spec->lat))
    {
      JsonObject *g = json_object_new ();
      JsonArray *c = json_array_new ();

      json_array_add_double_element (c, spec->lon);
      json_array_add_double_element (c, spec->lat);
      json_object_set_string_member (g, "type", "Point");
      json_object_set_array_member (g, "coordinates", c);
      point = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (point, g);
    }
  return create (self, SABAN_COMMAND_TASKS, props, point, scenario);
}

/**
 * saban_command_client_create_checklist_task:
 * @playbook: the playbook whose checklist holds the task
 * @index: which item of its `tasks`
 *
 * Dispatches a checklist item: its title, its agency as the suggested
 * assignee (the task stays pending until assigned), due its target minutes
 * from now.
 *
 * Returns: (transfer none) (nullable): the new task
 */
SabanCommandItem *
saban_command_client_create_checklist_task (SabanCommandClient *self, SabanCommandItem *scenario,
                                            SabanCommandItem *playbook, guint index, GError **error)
{
  JsonNode *tasks, *entry;
  JsonObject *o;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = NULL;
  SabanTaskSpec spec = { .priority = -1, .lon = NAN, .lat = NAN };

  if (!check_item (playbook, SABAN_COMMAND_PLAYBOOKS, error))
    return NULL;
  tasks = json_object_get_member (saban_command_item_get_properties (playbook), "tasks");
  if (tasks == NULL || !JSON_NODE_HOLDS_ARRAY (tasks) || index >= json_array_get_length (json_node_get_array (tasks)) ||
      !JSON_NODE_HOLDS_OBJECT ((entry = json_array_get_element (json_node_get_array (tasks), index))))
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The playbook has no such checklist item"));
      return NULL;
    }
  o = json_node_get_object (entry);
  spec.title = json_object_get_string_member_with_default (o, "title", NULL);
  spec.assignee_id = json_object_get_string_member_with_default (o, "agency", NULL);
  spec.assignee_type = "agency";
  if (json_object_get_int_member_with_default (o, "targetMinutes", 0) > 0)
    spec.due_at = due = g_date_time_add_minutes (now, json_object_get_int_member (o, "targetMinutes"));
  return saban_command_client_create_task (self, scenario, &spec, error);
}

/**
 * saban_command_client_create_sitrep:
 * @summary: what the report says
 * @report_version: (nullable): "initial", "update" or "final"
 * @extra: (nullable): more properties (casualties, resourcesCommitted…)
 *
 * Returns: (transfer none) (nullable): the new sitrep
 */
SabanCommandItem *
saban_command_client_create_sitrep (SabanCommandClient *self, SabanCommandItem *scenario, const char *summary,
                                    const char *report_version, JsonObject *extra, GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();

  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), NULL);

  if (!check_open_scenario (scenario, error))
    return NULL;
  if (summary == NULL || *summary == '\0')
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("A situation report needs a summary"));
      return NULL;
    }
  if (extra != NULL)
    copy_members (props, extra);
  json_object_set_string_member (props, "summary", summary);
  if (report_version != NULL)
    json_object_set_string_member (props, "reportVersion", report_version);
  return create (self, SABAN_COMMAND_SITREPS, props, NULL, scenario);
}

/**
 * saban_command_client_post_record:
 * @collection: a server collection the model keeps only as the server
 *   has it, e.g. "acknowledgements"
 * @feature: the GeoJSON Feature to create
 *
 * A write of record (an alarm acknowledgement): queued in the outbox and
 * delivered in order like the others, counted as pending until the server
 * has it, and then in the store as the server answered; a refusal comes as
 * "write-refused" with no item.
 */
void
saban_command_client_post_record (SabanCommandClient *self, const char *collection, JsonNode *feature)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *path = g_strdup_printf ("/collections/%s/items", collection);

  g_return_if_fail (SABAN_IS_COMMAND_CLIENT (self));
  g_return_if_fail (JSON_NODE_HOLDS_OBJECT (feature));

  saban_command_client_record_add (self, key);
  enqueue (self, key, "POST", path, feature, 0);
}
