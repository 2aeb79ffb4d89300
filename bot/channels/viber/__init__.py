"""The Viber channel: signed callbacks in, REST send_message calls out."""
