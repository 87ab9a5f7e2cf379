/* outbox-writer: a client that queues writes with no server to take them,
 * says so, and waits to be killed (SIGKILL) by test-command-client.
 *
 *   outbox-writer OUTBOX SERVER_URL SCENARIO_ID N
 *
 * Its store starts from a cached copy of the (active) scenario, as the app
 * would after a restart; it queues N task creations, then one more task
 * that it assigns before the server has ever seen it, and prints
 * "stored W" (W = N + 2 writes) once all of it is on disk. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "saban-command-client.h"

static void
flushed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!saban_command_client_flush_finish (SABAN_COMMAND_CLIENT (source), result, &error))
    g_error ("flush: %s", error->message);
  printf ("stored %u\n", saban_command_client_get_pending (SABAN_COMMAND_CLIENT (source)));
  fflush (stdout);
}

int
main (int argc, char *argv[])
{
  g_autoptr(SabanApi) api = NULL;
  g_autoptr(SabanLiveChannel) channel = NULL;
  g_autoptr(SabanConnection) connection = NULL;
  g_autoptr(SabanCommandClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *cached = NULL;
  SabanCommandStore *store;
  SabanCommandItem *scenario, *task;
  int n;

  if (argc != 5)
    {
      g_printerr ("usage: outbox-writer OUTBOX SERVER_URL SCENARIO_ID N\n");
      return 2;
    }
  n = atoi (argv[4]);
  api = saban_api_new (argv[2]);
  connection = saban_connection_new (api, 3600);
  channel = saban_live_channel_new (NULL, (const char *const[]) { "ioc/v1/#", NULL });
  client = saban_command_client_new (connection, channel, argv[1], &error);
  g_assert_no_error (error);
  store = saban_command_client_get_store (client);
  cached = g_strdup_printf ("{\"type\":\"Feature\",\"id\":%s,\"geometry\":null,\"properties\":{\"title\":\"cached\","
                            "\"status\":\"active\",\"version\":2,\"updated\":\"2025-01-01T00:00:00.000Z\"}}",
                            argv[3]);
  g_assert_true (json_parser_load_from_data (parser, cached, -1, NULL));
  g_assert_true (saban_command_store_apply_feature (store, SABAN_COMMAND_SCENARIOS, json_parser_get_root (parser),
                                                    NULL));
  scenario = saban_command_store_lookup (store, SABAN_COMMAND_SCENARIOS, g_ascii_strtoll (argv[3], NULL, 10));
  saban_command_client_start (client);
  saban_live_channel_start (channel);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Kiểm tra điểm sạt lở %d", i);
      SabanTaskSpec spec = { .title = title, .kind = "inspect", .priority = -1, .lon = NAN, .lat = NAN };

      g_assert_nonnull (saban_command_client_create_task (client, scenario, &spec, &error));
    }
  {
    SabanTaskSpec spec = { .title = "Sơ tán bản Sàng Ma Sáo", .kind = "evacuate", .priority = 8, .lon = NAN,
                           .lat = NAN };

    task = saban_command_client_create_task (client, scenario, &spec, &error);
    g_assert_nonnull (task);
    g_assert_cmpint (saban_command_item_get_id (task), <, 0);
    g_assert_true (saban_command_client_assign_task (client, task, "unit", "DQ-01", "Dân quân xã Sàng Ma Sáo",
                                                     &error));
  }
  saban_command_client_flush_async (client, NULL, flushed, NULL);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
