"""Channels, the Comms spec's service flags, and the provider types each channel can use.

This is data: the delivery engine registers one gateway class per (channel, type) listed here,
and a test checks that every entry has one.
"""

SMS, EMAIL, PUSH, WEBHOOK, WHATSAPP, VOICE, FAX = (
    "sms", "email", "push", "webhook", "whatsapp", "voice", "fax",
)  # fmt: skip
CHANNELS = (SMS, EMAIL, PUSH, WEBHOOK, WHATSAPP, VOICE, FAX)

# ICTCore's bit flags (voice 1, fax 2, sms 4, email 8, video 16), extended for the
# channels ICTCore does not have.
SERVICE_FLAGS = {VOICE: 1, FAX: 2, SMS: 4, EMAIL: 8, PUSH: 32, WHATSAPP: 64, WEBHOOK: 128}

# Provider type → the channels it can serve.
PROVIDER_TYPES: dict[str, tuple[str, ...]] = {
    "sandbox": CHANNELS,
    "http": (SMS,),
    "msg91": (SMS,),
    "twilio": (SMS, VOICE),  # voice: two-leg callback calls (apps.callbacks), voice messages
    "simulator": (VOICE,),  # telephony simulator for callback calls (apps.callbacks)
    "kannel": (SMS,),
    "smtp": (EMAIL,),
    "fcm": (PUSH,),
    "whatsapp_cloud": (WHATSAPP,),
    "webhook": (WEBHOOK,),
    "telnyx": (FAX,),  # Telnyx Programmable Fax
}

# The spec's gateway_flag has no column: it is the type's position in the sorted type names.
GATEWAY_FLAGS: dict[str, int] = {kind: n for n, kind in enumerate(sorted(PROVIDER_TYPES), start=1)}


def channels_of_flag(flag: int) -> list[str]:
    """Channels whose bit is set in ``flag``."""
    return [channel for channel, bit in SERVICE_FLAGS.items() if flag & bit]


def flag_of_channels(channels) -> int:
    """The service flag with the bits of ``channels`` set; KeyError for an unknown channel."""
    flag = 0
    for channel in channels:
        flag |= SERVICE_FLAGS[channel]
    return flag
