/* The passwords in a real Secret Service (issue 11): gnome-keyring-daemon on
 * the test's own session bus (tests/support/test-keyring.c). Each test uses
 * its own servers and keys: the keyring lives as long as the program. */
#include "saban-credentials.h"
#include "server-fixture.h"
#include "test-keyring.h"

/* Not ASCII, with the quote and backslash a connection string escapes. */
#define VIETNAMESE_PASSWORD "Mật-khẩu Đà Lạt 'ổn' \\ ✓"

/* a map service's password, kept under its source without it */
static void
test_key_round_trip (void)
{
  g_autofree char *kept = NULL;
  g_autofree char *other = NULL;

  g_assert_null (saban_credentials_lookup ("WMS:https://gis.laocai.example/wms user=bandoso"));
  saban_credentials_store ("WMS:https://gis.laocai.example/wms user=bandoso", "wms-secret-1");
  kept = saban_credentials_lookup ("WMS:https://gis.laocai.example/wms user=bandoso");
  g_assert_cmpstr (kept, ==, "wms-secret-1");
  /* another user of the same service is another key */
  other = saban_credentials_lookup ("WMS:https://gis.laocai.example/wms user=khac");
  g_assert_null (other);
}

/* two sources keep two passwords; storing again replaces, not adds */
static void
test_keys_apart (void)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *again = NULL;

  saban_credentials_store ("WMTS:https://a.example/wmts user=u", "secret-a");
  saban_credentials_store ("WMTS:https://b.example/wmts user=u", "secret-b");
  a = saban_credentials_lookup ("WMTS:https://a.example/wmts user=u");
  b = saban_credentials_lookup ("WMTS:https://b.example/wmts user=u");
  g_assert_cmpstr (a, ==, "secret-a");
  g_assert_cmpstr (b, ==, "secret-b");
  saban_credentials_store ("WMTS:https://a.example/wmts user=u", "secret-a2");
  again = saban_credentials_lookup ("WMTS:https://a.example/wmts user=u");
  g_assert_cmpstr (again, ==, "secret-a2");
}

/* a database's password leaves its connection string for the keyring, and
 * comes back when the source is opened again, quoted as libpq reads it */
static void
test_database_source (void)
{
  g_autofree char *bare = NULL;
  g_autofree char *full = NULL;
  g_autofree char *password = NULL;

  saban_credentials_keep ("PG:host=db.example dbname=gis password='" "Mật-khẩu Đà Lạt \\'ổn\\' \\\\ ✓" "'");
  full = saban_credentials_attach ("PG:host=db.example dbname=gis");
  bare = saban_credentials_strip (full, &password);
  g_assert_cmpstr (bare, ==, "PG:host=db.example dbname=gis");
  g_assert_cmpstr (password, ==, VIETNAMESE_PASSWORD);
}

static void
looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  char **password = data;
  g_autoptr(GError) error = NULL;

  *password = saban_credentials_lookup_account_finish (result, &error);
  g_assert_no_error (error);
  if (*password == NULL)
    *password = g_strdup ("(none)");
}

static char *
lookup_async (const char *server, const char *account)
{
  char *password = NULL;

  saban_credentials_lookup_account_async (server, account, NULL, looked_up, &password);
  TEST_WAIT_UNTIL (password != NULL, 10);
  return password;
}

/* the IOC account's password ("Ghi nhớ"): kept, found with and without
 * waiting, kept apart from other servers and accounts, forgotten alone */
static void
test_account (void)
{
  const char *server = "https://ioc.laocai.example";
  g_autofree char *found = NULL;
  g_autofree char *none = NULL;
  g_autofree char *other_server = NULL;
  g_autofree char *other_account = NULL;
  g_autofree char *left = NULL;

  saban_credentials_keep_account (server, "truc-ban", "ioc-secret-1");
  saban_credentials_keep_account (server, "chi-huy", "ioc-secret-2");
  saban_credentials_keep_account ("https://ioc.yenbai.example", "truc-ban", "ioc-secret-3");
  g_assert_true (test_keyring_wait_account (server, "truc-ban", "ioc-secret-1", 10));
  g_assert_true (test_keyring_wait_account (server, "chi-huy", "ioc-secret-2", 10));
  g_assert_true (test_keyring_wait_account ("https://ioc.yenbai.example", "truc-ban", "ioc-secret-3", 10));

  found = lookup_async (server, "truc-ban");
  g_assert_cmpstr (found, ==, "ioc-secret-1");
  none = lookup_async (server, "khach");
  g_assert_cmpstr (none, ==, "(none)");

  saban_credentials_forget_account (server, "truc-ban");
  g_assert_true (test_keyring_wait_account (server, "truc-ban", NULL, 10));
  other_account = saban_credentials_lookup_account (server, "chi-huy");
  other_server = saban_credentials_lookup_account ("https://ioc.yenbai.example", "truc-ban");
  g_assert_cmpstr (other_account, ==, "ioc-secret-2");
  g_assert_cmpstr (other_server, ==, "ioc-secret-3");
  left = lookup_async (server, "truc-ban");
  g_assert_cmpstr (left, ==, "(none)");
}

/* not ASCII: the bytes come back as they went in */
static void
test_non_ascii (void)
{
  g_autofree char *key = NULL;

  saban_credentials_store ("WMS:https://bando.example/wms user=người-dùng", VIETNAMESE_PASSWORD);
  key = saban_credentials_lookup ("WMS:https://bando.example/wms user=người-dùng");
  g_assert_cmpstr (key, ==, VIETNAMESE_PASSWORD);
  saban_credentials_keep_account ("https://ioc.example", "cán-bộ", VIETNAMESE_PASSWORD);
  g_assert_true (test_keyring_wait_account ("https://ioc.example", "cán-bộ", VIETNAMESE_PASSWORD, 10));
}

int
main (int argc, char **argv)
{
  TestKeyring *keyring = test_keyring_start ();
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/credentials/key-round-trip", test_key_round_trip);
  g_test_add_func ("/credentials/keys-apart", test_keys_apart);
  g_test_add_func ("/credentials/database-source", test_database_source);
  g_test_add_func ("/credentials/account", test_account);
  g_test_add_func ("/credentials/non-ascii", test_non_ascii);
  status = g_test_run ();
  test_keyring_stop (keyring);
  return status;
}
