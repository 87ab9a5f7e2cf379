/* saban-broker-address.c: the one way a broker's address is written, for the
 * server and the client alike:
 *
 *   HOST:PORT  or  mqtt://HOST[:PORT]    plain MQTT (port 1883)
 *   mqtts://HOST[:PORT]                  MQTT over TLS (port 8883)
 *
 * An IPv6 host is bracketed ([::1]:1883). A scheme other than these two is
 * refused rather than guessed at: "ssl://" silently spoken in clear would
 * send the broker password in clear.
 */
#include "saban-broker-address.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "saban-error.h"

#define MQTT_PORT  1883
#define MQTTS_PORT 8883

static gboolean
invalid (GError **error, const char *text)
{
  g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
               _("“%s” is not a broker address (HOST:PORT, mqtt://HOST:PORT or mqtts://HOST:PORT)"), text);
  return FALSE;
}

/**
 * saban_broker_address_parse:
 * @text: `HOST:PORT`, `mqtt://HOST[:PORT]` or `mqtts://HOST[:PORT]`
 * @address: (out caller-allocates): filled on success
 *
 * Returns: %FALSE with a translated message if @text is none of those
 */
gboolean
saban_broker_address_parse (const char *text, SabanBrokerAddress *address, GError **error)
{
  const char *rest = text, *colon, *host_end;
  gboolean scheme = FALSE;
  guint64 port;

  memset (address, 0, sizeof *address);
  if (text == NULL || *text == '\0' || strlen (text) > 1024)
    return invalid (error, text ? text : "");
  if (g_str_has_prefix (text, "mqtts://"))
    rest = text + 8, scheme = TRUE, address->tls = TRUE;
  else if (g_str_has_prefix (text, "mqtt://"))
    rest = text + 7, scheme = TRUE;
  else if (strstr (text, "://") != NULL)
    return invalid (error, text);

  if (rest[0] == '[')
    {
      if ((host_end = strchr (rest, ']')) == NULL || (host_end[1] != ':' && host_end[1] != '\0'))
        return invalid (error, text);
      colon = host_end[1] == ':' ? host_end + 1 : NULL;
      address->host = g_strndup (rest + 1, host_end - rest - 1);
    }
  else
    {
      colon = strrchr (rest, ':');
      address->host = g_strndup (rest, colon ? (gsize) (colon - rest) : strlen (rest));
    }
  port = address->tls ? MQTTS_PORT : MQTT_PORT;
  if (*address->host == '\0' || strpbrk (address->host, "/@ ?#[]") != NULL || (colon == NULL && !scheme) ||
      (colon != NULL && !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL)))
    {
      saban_broker_address_clear (address);
      return invalid (error, text);
    }
  address->port = (int) port;
  return TRUE;
}

void
saban_broker_address_clear (SabanBrokerAddress *address)
{
  g_clear_pointer (&address->host, g_free);
  address->port = 0;
  address->tls = FALSE;
}
