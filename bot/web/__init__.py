"""The aiohttp application: web chat, webhooks, health."""
