"""Channel adapters: platform payloads in, engine events; engine replies out, platform calls."""
