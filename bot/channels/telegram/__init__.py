"""The Telegram channel: webhook and long polling in, Bot API calls out."""
