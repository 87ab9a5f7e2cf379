#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where an MQTT broker is, as saban-server's --mqtt and Sa Bàn's mqtt-broker
 * setting write it. */
typedef struct
{
  char    *host;
  int      port;
  gboolean tls;
} SabanBrokerAddress;

gboolean saban_broker_address_parse (const char         *text,
                                     SabanBrokerAddress *address,
                                     GError            **error);
void     saban_broker_address_clear (SabanBrokerAddress *address);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SabanBrokerAddress, saban_broker_address_clear)

G_END_DECLS
